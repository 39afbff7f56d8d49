export interface SignInLimits {
  /** Failed sign-ins one client address may have in a window. */
  perAddress: number;
  /**
   * Failed sign-ins from all addresses together in a window. Without a user name the password
   * alone chooses the account, so every wrong password is a guess at each bootstrap account:
   * this is the limit per account, and it holds against guesses spread over many addresses.
   */
  overall: number;
  windowMs: number;
}

export const SIGN_IN_LIMITS: SignInLimits = { perAddress: 5, overall: 20, windowMs: 60_000 };

const OVERALL = "\0overall";

/**
 * Counts failed sign-ins (passwords, API tokens) in a sliding window, in memory (one dashboard process). A client
 * over its limit, or any client while all together are over theirs, is refused before
 * its password is checked, until the oldest failure that counts leaves the window.
 * An attempt counts as failed from its start, so a burst of concurrent guesses cannot
 * all pass before the first is checked; a right password takes its count back.
 */
export class SignInLimiter {
  /** Failure times per address (and OVERALL), oldest first, at most the key's limit; keys in the order of their newest failure. */
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits: SignInLimits = SIGN_IN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts an attempt from `address`: 0 when it may go on (and it now counts), else the whole seconds to wait. */
  begin(address: string): number {
    const waitSeconds = this.wait(address);
    if (waitSeconds === 0) this.failed(address);
    return waitSeconds;
  }

  /** The whole seconds `address` must wait before its next password, 0 when it may go on; counts nothing. */
  wait(address: string): number {
    const now = this.now();
    this.forgetExpired(now);
    return Math.ceil(Math.max(this.waitMs(address, this.limits.perAddress, now), this.waitMs(OVERALL, this.limits.overall, now)) / 1000);
  }

  /**
   * The whole seconds `address` must wait before its next API token, 0 when it may go on.
   * Only the address's own failures count: a token is 256 random bits that no spread of
   * guesses reaches, so wrong tokens from anywhere must not lock every script (or everyone's
   * password) out, nor wrong passwords lock out the scripts.
   */
  tokenWait(address: string): number {
    const now = this.now();
    this.forgetExpired(now);
    return Math.ceil(this.waitMs(address, this.limits.perAddress, now) / 1000);
  }

  /** An API token from `address` was wrong: it counts against that address only. */
  tokenFailed(address: string): void {
    this.push(address, this.limits.perAddress, this.now());
  }

  /** An attempt from `address` failed: it counts against the address and overall. */
  failed(address: string): void {
    const now = this.now();
    this.push(OVERALL, this.limits.overall, now);
    this.push(address, this.limits.perAddress, now);
  }

  /** The attempt `address` began had the right password: it counts against no one. */
  succeeded(address: string): void {
    for (const key of [address, OVERALL]) this.failures.get(key)?.pop();
  }

  private waitMs(key: string, limit: number, now: number): number {
    const times = this.failures.get(key);
    if (!times || times.length < limit) return 0;
    return Math.max(0, (times[times.length - limit] as number) + this.limits.windowMs - now);
  }

  private push(key: string, limit: number, now: number): void {
    const times = this.failures.get(key) ?? [];
    times.push(now);
    if (times.length > limit) times.splice(0, times.length - limit);
    this.failures.delete(key);
    this.failures.set(key, times);
  }

  /** Keys whose newest failure has left the window, from the front of the map: what it holds stays bounded by the overall limit. */
  private forgetExpired(now: number): void {
    for (const [key, times] of this.failures) {
      const newest = times.at(-1);
      if (newest !== undefined && newest > now - this.limits.windowMs) return;
      this.failures.delete(key);
    }
  }
}
