import { and, lt, sql } from "drizzle-orm";
import type { Db } from "../db/open";
import { events, sessions, snapshots } from "../db/schema";

/**
 * Drops history older than `days`: events, and snapshots no longer current
 * (a node's newest snapshot stays however old it is). Expired sessions go too.
 * The audit log is kept.
 */
export async function pruneHistory(db: Db, days: number, now = new Date()): Promise<{ snapshots: number; events: number }> {
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  const oldSnapshots = await db
    .delete(snapshots)
    .where(and(lt(snapshots.lastSeenAt, cutoff), sql`${snapshots.id} not in (select max(s2.id) from ${snapshots} s2 group by s2.node)`))
    .returning({ id: snapshots.id });
  const oldEvents = await db.delete(events).where(lt(events.at, cutoff)).returning({ id: events.id });
  await db.delete(sessions).where(lt(sessions.expiresAt, now));
  return { snapshots: oldSnapshots.length, events: oldEvents.length };
}
