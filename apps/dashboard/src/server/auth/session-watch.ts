/** How often a long-lived response asks the database whether its session or token still holds (expiry, a sign-out in another process, a revocation). */
export const SESSION_RECHECK_MS = 10_000;

/**
 * Sign-outs in this process, for what outlives the request that checked the session:
 * a live event stream must end when its session does, not when the browser goes.
 */
export class SessionEnds {
  private readonly listeners = new Map<string, Set<() => void>>();

  /** Calls `listener` when the session of `token` is signed out, until the returned function is called. */
  subscribe(token: string, listener: () => void): () => void {
    let set = this.listeners.get(token);
    if (!set) this.listeners.set(token, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (!set.size && this.listeners.get(token) === set) this.listeners.delete(token);
    };
  }

  ended(token: string): void {
    for (const listener of this.listeners.get(token) ?? []) listener();
  }
}

export interface WatchOptions {
  /** Whether the session or API token still lets the caller in (not expired, ended, revoked; the user not removed). */
  holds: () => Promise<boolean>;
  /** A session's sign-out in this process ends the watch at once; an API token has none. */
  signOuts?: { ends: SessionEnds; token: string };
  /** The request's: watching stops when it ends. */
  until: AbortSignal;
  recheckMs?: number;
}

/**
 * A signal that aborts when the caller's access ends: at once on a sign-out here, else at
 * the next recheck after it expired, was ended elsewhere or revoked. Watching stops with `until`.
 */
export function watchCaller(options: WatchOptions): AbortSignal {
  const ended = new AbortController();
  const recheckMs = options.recheckMs ?? SESSION_RECHECK_MS;
  const stop = () => {
    clearInterval(recheck);
    unsubscribe();
    options.until.removeEventListener("abort", stop);
  };
  const end = (reason: string) => {
    stop();
    ended.abort(new Error(reason));
  };
  const unsubscribe = options.signOuts ? options.signOuts.ends.subscribe(options.signOuts.token, () => end("signed out")) : () => undefined;
  const recheck = setInterval(() => {
    options.holds().then(
      (holds) => holds || end("the session or API token expired, was ended or revoked"),
      (error: Error) => console.error(`live stream: could not recheck its session or token: ${error.message}; checking again in ${recheckMs} ms`),
    );
  }, recheckMs);
  options.until.addEventListener("abort", stop, { once: true });
  if (options.until.aborted) stop();
  return ended.signal;
}
