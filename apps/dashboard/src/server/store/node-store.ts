import { eq } from "drizzle-orm";
import type { AgentTarget } from "../agent-target";
import type { Db } from "../db/open";
import { nodes } from "../db/schema";

export async function upsertNode(db: Db, target: AgentTarget): Promise<void> {
  const values = { name: target.name, url: target.url, token: target.token ?? null, source: target.source };
  await db.insert(nodes).values(values).onConflictDoUpdate({ target: nodes.name, set: { url: values.url, token: values.token, source: values.source } });
}

export async function removeNode(db: Db, name: string): Promise<boolean> {
  const removed = await db.delete(nodes).where(eq(nodes.name, name)).returning({ name: nodes.name });
  return removed.length > 0;
}

/** Nodes stored in the database (added in the UI, or remembered from configuration). */
export async function storedNodes(db: Db): Promise<AgentTarget[]> {
  const rows = await db.select().from(nodes).orderBy(nodes.name);
  return rows.map((r) => ({ name: r.name, url: r.url, token: r.token ?? undefined, source: r.source }));
}

export async function markSeen(db: Db, name: string, at: Date, error: string | undefined): Promise<void> {
  await db.update(nodes).set(error ? { lastError: error } : { lastSeenAt: at, lastError: null }).where(eq(nodes.name, name));
}
