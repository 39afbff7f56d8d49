/**
 * Writes gathered for a moment and then made together, one batch after the other: many
 * small writes that each were a statement (or a commit) of their own become a few.
 */
export class Gathering {
  /** The next batch's write, once one is asked for; it resolves when that batch is written (or failed and was logged). */
  private next: Promise<void> | undefined;
  private last: Promise<void> = Promise.resolve();

  constructor(
    private readonly gatherMs: number,
    /** Takes what was gathered (leaving room for the next batch) and writes it; never rejects. */
    private readonly writeGathered: () => Promise<void>,
  ) {}

  /** Something was gathered: resolves once the batch that holds it is written. */
  scheduled(): Promise<void> {
    this.next ??= this.last
      .then(() => new Promise((resolve) => setTimeout(resolve, this.gatherMs)))
      .then(() => {
        this.next = undefined;
        this.last = this.writeGathered();
        return this.last;
      });
    return this.next;
  }
}
