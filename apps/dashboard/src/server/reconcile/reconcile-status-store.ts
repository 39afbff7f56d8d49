import { ReconcileStatus } from "@netatlas/agent-api";
import { inArray } from "drizzle-orm";
import type { Db } from "../db/open";
import { reconcileStatus } from "../db/schema";
import type { NodeReconcile } from "./drift-monitor";

/** Keeps what the replica that leads `node` last learnt of its reconciler. */
export async function storeReconcileStatus(db: Db, known: NodeReconcile): Promise<void> {
  const row = { checkedAt: new Date(known.checkedAt), status: known.status ?? null, error: known.error ?? null };
  await db.insert(reconcileStatus).values({ node: known.node, ...row }).onConflictDoUpdate({ target: reconcileStatus.node, set: row });
}

/** The stored reconcile status of these nodes (the ones another replica leads). */
export async function storedReconcileStatus(db: Db, nodes: readonly string[]): Promise<NodeReconcile[]> {
  if (nodes.length === 0) return [];
  const rows = await db.select().from(reconcileStatus).where(inArray(reconcileStatus.node, [...nodes]));
  // Written by a replica of this dashboard, but read back as data: checked as anything else that enters.
  return rows.map((r) => ({ node: r.node, checkedAt: r.checkedAt.getTime(), status: r.status === null ? undefined : ReconcileStatus.parse(r.status), error: r.error ?? undefined }));
}
