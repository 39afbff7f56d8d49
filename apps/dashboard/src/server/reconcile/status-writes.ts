import type { Db } from "../db/open";
import { Gathering } from "../store/gathering";
import type { NodeReconcile } from "./drift-monitor";
import { clearDrift, recordDrift } from "./drift-store";
import { storeReconcileStatus } from "./reconcile-status-store";

/** How long checks' results gather before they are written together. */
const GATHER_MS = 100;

/**
 * What the drift monitor learns, written in batches: a cold start asks every node at
 * once, and each answer was three statements of its own (on PGlite, on the event loop
 * that the streams need). A node's newest result wins. Its drift rows follow only an
 * answer (`answered`): an agent that stops answering has not stopped drifting.
 */
export class StatusWrites {
  private gathered = new Map<string, { known: NodeReconcile; answered: boolean }>();
  private readonly gathering: Gathering;

  constructor(
    private readonly db: Db,
    private readonly log: (message: string) => void = (m) => console.error(m),
    gatherMs = GATHER_MS,
  ) {
    this.gathering = new Gathering(gatherMs, () => this.write());
  }

  /** Resolves once written (or failed, and logged). */
  learnt(known: NodeReconcile, answered: boolean): Promise<void> {
    this.gathered.set(known.node, { known, answered });
    return this.gathering.scheduled();
  }

  private async write(): Promise<void> {
    const batch = [...this.gathered.values()];
    this.gathered = new Map();
    const answers = batch.flatMap(({ known, answered }) => (answered && known.status ? [{ node: known.node, drift: known.status.drift, at: new Date(known.checkedAt) }] : []));
    await this.db
      .transaction(async (tx) => {
        await clearDrift(tx, answers.filter((a) => a.drift.length === 0).map((a) => a.node));
        for (const a of answers.filter((a) => a.drift.length > 0)) await recordDrift(tx, a.node, a.drift, a.at);
        await storeReconcileStatus(tx, batch.map((b) => b.known));
      })
      .catch((error: Error) => this.log(`drift monitor: ${batch.length} node(s)' reconcile status not written: ${error.message}`));
  }
}
