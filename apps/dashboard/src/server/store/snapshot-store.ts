import { and, asc, desc, eq, lte, sql, type SQL } from "drizzle-orm";
import { applySnapshotDelta, NodeSnapshot, SnapshotDelta } from "@netatlas/core";
import type { Db } from "../db/open";
import { snapshotChanges, snapshots } from "../db/schema";
import { textOfSnapshot } from "../fleet/intake/lazy-parts";
import { inStatements } from "./node-store";

/** After this many changes a whole snapshot is stored again, so that no state is more than this many deltas from one. */
export const CHANGES_PER_SNAPSHOT = 100;

/** A node's state as the dashboard holds it: the agent's hash, and the delta that led to it when it came as one. */
export interface NodeStateRecord {
  snapshot: NodeSnapshot;
  /** The agent's hash of the state (made once, on the agent; never computed here). */
  hash: string;
  /** From the state whose hash is `deltaFrom` to this one, when the agent sent it so. */
  delta?: SnapshotDelta;
  deltaFrom?: string;
}

type Newest = { snapshotId: number; snapshotHash: string; change?: { id: number; hash: string }; changes: number };

/** The node's newest stored state: its whole snapshot, and the newest change after it, if any. */
async function newest(db: Db, node: string): Promise<Newest | undefined> {
  const [base] = await db.select({ id: snapshots.id, hash: snapshots.hash }).from(snapshots).where(eq(snapshots.node, node)).orderBy(desc(snapshots.collectedAt), desc(snapshots.id)).limit(1);
  if (!base) return undefined;
  const changes = await db.select({ id: snapshotChanges.id, hash: snapshotChanges.hash }).from(snapshotChanges).where(eq(snapshotChanges.snapshotId, base.id)).orderBy(desc(snapshotChanges.id));
  return { snapshotId: base.id, snapshotHash: base.hash, change: changes[0], changes: changes.length };
}

/**
 * Stores a node's new state: as its delta when that delta starts from the state stored
 * last (and a whole snapshot every CHANGES_PER_SNAPSHOT changes), whole otherwise (the
 * first state, a state after a gap, or after another writer); when its hash is the
 * stored one, only notes that it still holds.
 */
export async function recordState(db: Db, node: string, state: NodeStateRecord): Promise<{ stored: "snapshot" | "change" | "none" }> {
  const at = new Date(state.snapshot.collectedAt);
  const last = await newest(db, node);
  const lastHash = last?.change?.hash ?? last?.snapshotHash;
  if (last && lastHash === state.hash) {
    await touch(db, last, at);
    return { stored: "none" };
  }
  if (last && state.delta && state.deltaFrom === lastHash && last.changes < CHANGES_PER_SNAPSHOT) {
    await db.insert(snapshotChanges).values({ node, snapshotId: last.snapshotId, collectedAt: at, lastSeenAt: at, hash: state.hash, delta: state.delta });
    return { stored: "change" };
  }
  await db.insert(snapshots).values({ node, collectedAt: at, lastSeenAt: at, hash: state.hash, body: bodyOf(node, state.snapshot) });
  return { stored: "snapshot" };
}

/**
 * The stored body: the snapshot under the dashboard's name for the node. A snapshot still
 * as its JSON text came (textOfSnapshot) goes as that text, taken apart by the database:
 * its parts are then never parsed here, and nothing is serialised again.
 */
function bodyOf(node: string, snapshot: NodeSnapshot): NodeSnapshot | SQL {
  const source = textOfSnapshot(snapshot);
  if (!source) return { ...snapshot, node };
  const path = sql`array[${sql.join(source.path.map((key) => sql`${key}`), sql`, `)}]::text[]`;
  return sql`(${source.text}::jsonb #> ${path}) || jsonb_build_object('node', ${node}::text)`;
}

async function touch(db: Db, last: Newest, at: Date): Promise<void> {
  if (last.change) await db.update(snapshotChanges).set({ lastSeenAt: at }).where(eq(snapshotChanges.id, last.change.id));
  else await db.update(snapshots).set({ lastSeenAt: at }).where(eq(snapshots.id, last.snapshotId));
}

/**
 * Each node's newest stored state still holds at its `at` (its agent said nothing changed),
 * one mark per node: one statement per chunk of marks (inStatements). On PGlite a
 * transaction's statements run on the event loop without a turn between them; three per
 * node held it for 100-340 ms when 2,000 streaming agents' marks came due together.
 */
export async function stillHold(db: Db, marks: readonly { node: string; at: Date }[]): Promise<void> {
  const [s, c] = [snapshots, snapshotChanges];
  const lastSeen = sql.identifier(s.lastSeenAt.name);
  await inStatements(marks, async (chunk) => {
    const values = chunk.map((m) => sql`(${m.node}, ${m.at.toISOString()}::timestamptz)`);
    // The newest whole snapshot of each node (as newest() picks it), then its newest change, if any: that change holds, or else the snapshot.
    await db.execute(sql`
      with mark(node, at) as (values ${sql.join(values, sql`, `)}),
      base as (
        select mark.at, newest.id from mark cross join lateral (
          select ${s.id} from ${s} where ${s.node} = mark.node order by ${s.collectedAt} desc, ${s.id} desc limit 1) newest),
      last_change as (
        select base.at, base.id as snapshot_id, newest.id from base cross join lateral (
          select ${c.id} from ${c} where ${c.snapshotId} = base.id order by ${c.id} desc limit 1) newest),
      touched as (
        update ${c} set ${lastSeen} = last_change.at from last_change where ${c.id} = last_change.id)
      update ${s} set ${lastSeen} = base.at from base
        where ${s.id} = base.id and not exists (select 1 from last_change where last_change.snapshot_id = base.id)`);
  });
}

/** The distinct states stored for a node, newest first: when each was first and last seen ("s12": a whole snapshot, "c34": a change after one). */
export async function snapshotTimeline(db: Db, node: string, limit = 500): Promise<{ id: string; collectedAt: Date; lastSeenAt: Date }[]> {
  const [whole, changed] = await Promise.all([
    db.select({ id: snapshots.id, collectedAt: snapshots.collectedAt, lastSeenAt: snapshots.lastSeenAt }).from(snapshots).where(eq(snapshots.node, node)).orderBy(desc(snapshots.collectedAt)).limit(limit),
    db.select({ id: snapshotChanges.id, collectedAt: snapshotChanges.collectedAt, lastSeenAt: snapshotChanges.lastSeenAt }).from(snapshotChanges).where(eq(snapshotChanges.node, node)).orderBy(desc(snapshotChanges.collectedAt)).limit(limit),
  ]);
  return [...whole.map((s) => ({ ...s, id: `s${s.id}` })), ...changed.map((c) => ({ ...c, id: `c${c.id}` }))].sort((a, b) => b.collectedAt.getTime() - a.collectedAt.getTime()).slice(0, limit);
}

/** The node's state as stored at `at`: the newest whole snapshot collected at or before it, with its changes up to `at` applied. */
export async function snapshotAt(db: Db, node: string, at: Date): Promise<NodeSnapshot | undefined> {
  const [row] = await db.select({ id: snapshots.id, body: snapshots.body }).from(snapshots).where(and(eq(snapshots.node, node), lte(snapshots.collectedAt, at))).orderBy(desc(snapshots.collectedAt), desc(snapshots.id)).limit(1);
  if (!row) return undefined;
  const changes = await db.select({ delta: snapshotChanges.delta }).from(snapshotChanges).where(and(eq(snapshotChanges.snapshotId, row.id), lte(snapshotChanges.collectedAt, at))).orderBy(asc(snapshotChanges.id));
  // Stored by this dashboard, but read back as data: checked as anything else that enters.
  return changes.reduce((state, c) => applySnapshotDelta(state, SnapshotDelta.parse(c.delta)), NodeSnapshot.parse(row.body));
}
