/**
 * What a subscription's listener hands over, taken in order by the stream that sends
 * it, which waits for the next. One abort listener for the whole stream: one per wait
 * would pile up on a busy node (and Node warns at 11).
 */
export class Inbox<T> {
  private readonly items: T[] = [];
  private wake: (() => void) | undefined;
  private readonly onAbort = () => this.wake?.();

  constructor(private readonly signal: AbortSignal | undefined) {
    signal?.addEventListener("abort", this.onAbort, { once: true });
  }

  readonly push = (item: T): void => {
    this.items.push(item);
    this.wake?.();
  };

  shift(): T | undefined {
    return this.items.shift();
  }

  get size(): number {
    return this.items.length;
  }

  /** Resolves once something is pushed, the stream is aborted, or `timeoutMs` has passed. */
  async wait(timeoutMs?: number): Promise<void> {
    if (this.items.length > 0 || this.signal?.aborted) return;
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => this.wake?.(), timeoutMs);
    await new Promise<void>((resolve) => (this.wake = resolve));
    clearTimeout(timer);
    this.wake = undefined;
  }

  close(): void {
    this.signal?.removeEventListener("abort", this.onAbort);
  }
}
