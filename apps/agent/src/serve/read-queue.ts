/**
 * What a read of the node covers, each kind all that the ones after it do: "full" reads
 * every namespace; "facts" reads what no notification tells (processes, pods' holders,
 * Docker, the host's nft) and the namespaces not followed; "light" only the namespaces
 * not followed (new ones, and those without an nsid in ours).
 */
export type ReadKind = "full" | "facts" | "light";
const BY_COVER: readonly ReadKind[] = ["full", "facts", "light"];

/**
 * One read of the node at a time. A read asked for while one runs follows it, once
 * however often it was asked; a read covers the kinds after it. The promise a caller
 * gets settles after a read that started after its call.
 */
export class ReadQueue {
  private readonly wanted = new Set<ReadKind>();
  private running?: Promise<void>;

  constructor(private readonly readNode: (kind: ReadKind) => Promise<void>) {}

  read(kind: ReadKind): Promise<void> {
    this.wanted.add(kind);
    this.running ??= this.drain().finally(() => (this.running = undefined));
    return this.running;
  }

  private async drain(): Promise<void> {
    for (let kind = this.next(); kind; kind = this.next()) {
      this.wanted.clear();
      await this.readNode(kind);
    }
  }

  private next(): ReadKind | undefined {
    return BY_COVER.find((kind) => this.wanted.has(kind));
  }
}
