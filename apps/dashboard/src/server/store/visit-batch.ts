import type { Db } from "../db/open";
import { markSeen } from "./node-store";
import { Gathering } from "./gathering";
import { stillHold } from "./snapshot-store";

/** A batch's marks by node name: every batch takes the nodes' rows in one order. */
const inNodeOrder = <T>(marks: Map<string, T>) => [...marks].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** How long marks gather before they are written together. */
const GATHER_MS = 250;

/**
 * "Seen" and "unchanged" marks gathered for a moment and written in one transaction:
 * thousands of streaming agents say they are alive hundreds of times a second, and each
 * mark alone was a commit of its own (on PGlite, file writes on the event loop that the
 * streams need). The newest mark of a node wins; a batch is written only after the one
 * before it, in the nodes' order, so that two never wait on each other's rows.
 */
export class VisitBatch {
  private seen = new Map<string, { at: Date; error: string | undefined }>();
  private unchanged = new Map<string, Date>();
  private readonly gathering: Gathering;

  constructor(
    private readonly db: Db,
    private readonly log: (message: string) => void,
    gatherMs = GATHER_MS,
  ) {
    this.gathering = new Gathering(gatherMs, () => this.write());
  }

  /** The agent answered at `at` (or failed with `error`); resolves once it is written. */
  seenAt(node: string, at: Date, error: string | undefined): Promise<void> {
    this.seen.set(node, { at, error });
    return this.gathering.scheduled();
  }

  /** The node's newest stored state still held at `at`; resolves once it is written. */
  unchangedAt(node: string, at: Date): Promise<void> {
    const before = this.unchanged.get(node);
    if (!before || before < at) this.unchanged.set(node, at);
    return this.gathering.scheduled();
  }

  private async write(): Promise<void> {
    const { seen, unchanged } = this;
    [this.seen, this.unchanged] = [new Map(), new Map()];
    await this.db
      .transaction(async (tx) => {
        await markSeen(tx, inNodeOrder(seen).map(([name, { at, error }]) => ({ name, at, error })));
        await stillHold(tx, inNodeOrder(unchanged).map(([node, at]) => ({ node, at })));
      })
      .catch((error: Error) => this.log(`dashboard database: ${seen.size} "seen" and ${unchanged.size} "unchanged" marks not written: ${error.message}`));
  }
}
