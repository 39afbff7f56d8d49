import { and, desc, eq, lte } from "drizzle-orm";
import { snapshotHash } from "@netatlas/agent-api";
import { NodeSnapshot } from "@netatlas/core";
import type { Db } from "../db/open";
import { snapshots } from "../db/schema";

/** Stores a snapshot only when it differs from the node's newest one; otherwise notes that it still holds. */
export async function recordSnapshot(db: Db, snapshot: NodeSnapshot): Promise<{ stored: boolean }> {
  const hash = snapshotHash(snapshot);
  const at = new Date(snapshot.collectedAt);
  const [latest] = await db.select({ id: snapshots.id, hash: snapshots.hash }).from(snapshots).where(eq(snapshots.node, snapshot.node)).orderBy(desc(snapshots.collectedAt)).limit(1);
  if (latest?.hash === hash) {
    await db.update(snapshots).set({ lastSeenAt: at }).where(eq(snapshots.id, latest.id));
    return { stored: false };
  }
  await db.insert(snapshots).values({ node: snapshot.node, collectedAt: at, lastSeenAt: at, hash, body: snapshot });
  return { stored: true };
}

/** The node's newest stored state still holds at `at` (its agent said nothing changed). */
export async function stillHolds(db: Db, node: string, at: Date): Promise<void> {
  const [latest] = await db.select({ id: snapshots.id }).from(snapshots).where(eq(snapshots.node, node)).orderBy(desc(snapshots.collectedAt)).limit(1);
  if (latest) await db.update(snapshots).set({ lastSeenAt: at }).where(eq(snapshots.id, latest.id));
}

/** The distinct states stored for a node, newest first: when each was first and last seen. */
export async function snapshotTimeline(db: Db, node: string, limit = 500): Promise<{ id: number; collectedAt: Date; lastSeenAt: Date }[]> {
  return db.select({ id: snapshots.id, collectedAt: snapshots.collectedAt, lastSeenAt: snapshots.lastSeenAt }).from(snapshots).where(eq(snapshots.node, node)).orderBy(desc(snapshots.collectedAt)).limit(limit);
}

/** The node's state as stored at `at`: the newest snapshot collected at or before it. */
export async function snapshotAt(db: Db, node: string, at: Date): Promise<NodeSnapshot | undefined> {
  const [row] = await db.select({ body: snapshots.body }).from(snapshots).where(and(eq(snapshots.node, node), lte(snapshots.collectedAt, at))).orderBy(desc(snapshots.collectedAt)).limit(1);
  return row ? NodeSnapshot.parse(row.body) : undefined;
}
