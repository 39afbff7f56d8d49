import type { Op } from "@netatlas/core";
import { inArray } from "drizzle-orm";
import type { Db } from "../db/open";
import { drift } from "../db/schema";

export interface DriftRow {
  node: string;
  firstSeenAt: string;
  lastSeenAt: string;
  ops: Op[];
}

/** Records that `node` differs from its kept intent; the first time is kept while the drift lasts. Returns that time. */
export async function recordDrift(db: Db, node: string, ops: Op[], now = new Date()): Promise<Date> {
  const [row] = await db.insert(drift).values({ node, firstSeenAt: now, lastSeenAt: now, ops }).onConflictDoUpdate({ target: drift.node, set: { lastSeenAt: now, ops } }).returning({ firstSeenAt: drift.firstSeenAt });
  return row?.firstSeenAt ?? now;
}

/** The nodes match their intent again: their drift ends (a later drift starts a new "since"). */
export async function clearDrift(db: Db, nodes: readonly string[]): Promise<void> {
  if (nodes.length) await db.delete(drift).where(inArray(drift.node, [...nodes]));
}

export async function driftRows(db: Db): Promise<DriftRow[]> {
  return (await db.select().from(drift).orderBy(drift.node)).map((r) => ({ node: r.node, firstSeenAt: r.firstSeenAt.toISOString(), lastSeenAt: r.lastSeenAt.toISOString(), ops: r.ops as Op[] }));
}
