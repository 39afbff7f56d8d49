import { sql } from "drizzle-orm";
import type { Database } from "../db/open";
import { EventFanOut } from "../fleet/event-fan-out";
import { noticePayload, ReplicaNotice } from "./replica-notice";

/** The one PostgreSQL channel the dashboard replicas talk on. */
export const REPLICA_CHANNEL = "netatlas_replicas";

/** A notice as its sender writes it: the bus adds who sends it. */
export type OutgoingNotice = ReplicaNotice extends infer N ? (N extends unknown ? Omit<N, "from"> : never) : never;

/**
 * Notices between the replicas on one database (LISTEN/NOTIFY): the leader of a node tells
 * the others of its new states, its agent's events and whether it hears the agent. A notice
 * is only a hint to read the database sooner (or, for an event, to show it live): one lost
 * while a connection is down is made up by the next read.
 */
export class ReplicaBus {
  private readonly listeners = new EventFanOut<ReplicaNotice>();
  private unlisten: (() => Promise<void>) | undefined;

  private constructor(
    private readonly database: Database,
    readonly replicaId: string,
    private readonly log: (message: string) => void,
  ) {}

  static async open(database: Database, replicaId: string, log: (message: string) => void = (m) => console.error(m)): Promise<ReplicaBus> {
    const bus = new ReplicaBus(database, replicaId, log);
    bus.unlisten = await database.listen(REPLICA_CHANNEL, (payload) => bus.receive(payload));
    return bus;
  }

  async publish(notice: OutgoingNotice): Promise<void> {
    const payload = noticePayload({ ...notice, from: this.replicaId } as ReplicaNotice);
    if (!payload) return this.log(`replica ${this.replicaId}: a ${notice.kind} notice of node ${notice.node} does not fit in a notification; the other replicas read it from the database later`);
    await this.database.db.execute(sql`select pg_notify(${REPLICA_CHANNEL}, ${payload})`);
  }

  /** Calls `listener` with the other replicas' notices about `node` until the returned function is called. */
  on(node: string, listener: (notice: ReplicaNotice) => void): () => void {
    return this.listeners.subscribe(node, listener);
  }

  async close(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = undefined;
  }

  private receive(payload: string): void {
    let notice: ReplicaNotice;
    try {
      notice = ReplicaNotice.parse(JSON.parse(payload));
    } catch (error) {
      // Anyone who may connect to the database may NOTIFY: what does not fit is dropped, with why.
      return this.log(`replica ${this.replicaId}: a notification on ${REPLICA_CHANNEL} is not a replica notice (${(error as Error).message.slice(0, 300)}); dropped`);
    }
    if (notice.from === this.replicaId) return;
    this.listeners.publish(notice.node, notice);
  }
}
