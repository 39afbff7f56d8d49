import { and, lt, sql } from "drizzle-orm";
import type { Db } from "../db/open";
import { auditLog, events, sessions, snapshotChanges, snapshots } from "../db/schema";

export interface Retention {
  /** Events, and snapshots no longer current, older than this are dropped. */
  historyDays: number;
  /** Audit entries older than this are dropped. */
  auditDays: number;
}

const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000);

/**
 * Drops history older than its retention: events, snapshots no longer current
 * (a node's newest snapshot stays however old it is), and audit entries (kept
 * longer by default). Expired sessions go too.
 */
export async function pruneHistory(db: Db, retention: Retention, now = new Date()): Promise<{ snapshots: number; events: number; audit: number }> {
  const cutoff = daysBefore(now, retention.historyDays);
  const oldSnapshots = await db
    .delete(snapshots)
    // A whole snapshot goes with the changes stored after it (cascade), so only when none of them is recent either.
    .where(
      and(
        lt(snapshots.lastSeenAt, cutoff),
        sql`${snapshots.id} not in (select max(s2.id) from ${snapshots} s2 group by s2.node)`,
        sql`not exists (select 1 from ${snapshotChanges} c where c.snapshot_id = ${snapshots.id} and c.last_seen_at >= ${cutoff})`,
      ),
    )
    .returning({ id: snapshots.id });
  const oldEvents = await db.delete(events).where(lt(events.at, cutoff)).returning({ id: events.id });
  const oldAudit = await db.delete(auditLog).where(lt(auditLog.at, daysBefore(now, retention.auditDays))).returning({ id: auditLog.id });
  await db.delete(sessions).where(lt(sessions.expiresAt, now));
  return { snapshots: oldSnapshots.length, events: oldEvents.length, audit: oldAudit.length };
}
