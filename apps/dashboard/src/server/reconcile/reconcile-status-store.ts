import { ReconcileStatus } from "@netatlas/agent-api";
import { inArray, sql } from "drizzle-orm";
import type { Db } from "../db/open";
import { reconcileStatus } from "../db/schema";
import type { NodeReconcile } from "./drift-monitor";

/** Keeps what the replica that leads each node last learnt of its reconciler, in one statement. */
export async function storeReconcileStatus(db: Db, known: readonly NodeReconcile[]): Promise<void> {
  if (known.length === 0) return;
  const rows = known.map((k) => ({ node: k.node, checkedAt: new Date(k.checkedAt), status: k.status ?? null, error: k.error ?? null }));
  await db
    .insert(reconcileStatus)
    .values(rows)
    .onConflictDoUpdate({ target: reconcileStatus.node, set: { checkedAt: sql`excluded.checked_at`, status: sql`excluded.status`, error: sql`excluded.error` } });
}

/** The stored reconcile status of these nodes (the ones another replica leads). */
export async function storedReconcileStatus(db: Db, nodes: readonly string[]): Promise<NodeReconcile[]> {
  if (nodes.length === 0) return [];
  const rows = await db.select().from(reconcileStatus).where(inArray(reconcileStatus.node, [...nodes]));
  // Written by a replica of this dashboard, but read back as data: checked as anything else that enters.
  return rows.map((r) => ({ node: r.node, checkedAt: r.checkedAt.getTime(), status: r.status === null ? undefined : ReconcileStatus.parse(r.status), error: r.error ?? undefined }));
}
