import { sql } from "drizzle-orm";
import type { NodeSnapshot } from "@netatlas/core";
import type { Db } from "../db/open";
import { snapshotAt } from "../store/snapshot-store";

/** What a replica that does not lead a node reads of it: who leads it, what that leader last heard, and the newest stored state. */
export interface StoredNodeHead {
  /** The replica holding an unexpired lease on the node, if any. */
  leader: string | null;
  /** The leader's last failure to hear the agent, cleared when it hears it again. */
  error: string | null;
  /** The agent's hash of the newest stored state, and when that state was last seen; null before any was stored. */
  hash: string | null;
  lastSeenAt: Date | null;
}

/** One round trip: the lease, the node's last error, and the hash of its newest state (the newest change after its newest whole snapshot). */
export async function storedNodeHead(db: Db, node: string): Promise<StoredNodeHead> {
  const result = (await db.execute(sql`
    select
      (select replica from agent_leases where node = ${node} and expires_at > now()) as leader,
      (select last_error from nodes where name = ${node}) as error,
      coalesce(c.hash, s.hash) as hash,
      coalesce(c.last_seen_at, s.last_seen_at) as last_seen_at
    from (select 1) as one
    left join lateral (select id, hash, last_seen_at from snapshots where node = ${node} order by collected_at desc, id desc limit 1) as s on true
    left join lateral (select hash, last_seen_at from snapshot_changes where snapshot_id = s.id order by id desc limit 1) as c on true
  `)) as unknown as { rows: { leader: string | null; error: string | null; hash: string | null; last_seen_at: string | Date | null }[] };
  const row = result.rows[0];
  return { leader: row?.leader ?? null, error: row?.error ?? null, hash: row?.hash ?? null, lastSeenAt: row?.last_seen_at ? new Date(row.last_seen_at) : null };
}

/** Later than any state an agent can have collected: snapshotAt at this moment is the newest state. */
const NEWEST = new Date("9999-12-31T23:59:59Z");

/** The node's newest stored state with its hash, read in one snapshot of the database so that the two agree. */
export async function newestStoredState(db: Db, node: string): Promise<{ snapshot: NodeSnapshot; hash: string } | undefined> {
  return db.transaction(
    async (tx) => {
      const head = await storedNodeHead(tx as unknown as Db, node);
      const snapshot = head.hash ? await snapshotAt(tx as unknown as Db, node, NEWEST) : undefined;
      return snapshot && head.hash ? { snapshot, hash: head.hash } : undefined;
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}
