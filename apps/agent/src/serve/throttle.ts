/**
 * Runs `task` soon after it is asked for, and under a stream of asks at most once per
 * `intervalMs`: the first ask in a while waits `gatherMs` (what comes with it is done by
 * the same run), a later one waits until `intervalMs` after the last run began. Asks
 * while a run is waiting are one ask. For work that costs the whole node (a read of
 * every namespace, a namespace read again whole, a snapshot handed to listeners): a
 * single change still gets it at once, a storm of changes gets it at a bounded rate.
 */
export class Throttle {
  private timer?: NodeJS.Timeout;
  private lastRun = -Infinity;

  constructor(
    private readonly task: () => void,
    private readonly gatherMs: number,
    private readonly intervalMs: number,
  ) {}

  ask(): void {
    if (this.timer) return;
    const wait = Math.max(this.gatherMs, this.lastRun + this.intervalMs - performance.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.lastRun = performance.now();
      this.task();
    }, wait);
  }

  /** Drops a waiting run; says whether there was one (for a caller that runs the task now instead, or stops). */
  cancel(): boolean {
    const waiting = this.timer !== undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    return waiting;
  }
}
