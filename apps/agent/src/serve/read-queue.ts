export type ReadKind = "full" | "light";

/**
 * One read of the node at a time. A read asked for while one runs follows it, once
 * however often it was asked; a full read covers a light one. The promise a caller
 * gets settles after a read that started after its call.
 */
export class ReadQueue {
  private want = { full: false, light: false };
  private running?: Promise<void>;

  constructor(private readonly readNode: (kind: ReadKind) => Promise<void>) {}

  read(kind: ReadKind): Promise<void> {
    this.want[kind] = true;
    this.running ??= this.drain().finally(() => (this.running = undefined));
    return this.running;
  }

  private async drain(): Promise<void> {
    while (this.want.full || this.want.light) {
      const kind: ReadKind = this.want.full ? "full" : "light";
      this.want = { full: false, light: false };
      await this.readNode(kind);
    }
  }
}
