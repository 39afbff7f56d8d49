import { desc } from "drizzle-orm";
import type { Db } from "../db/open";
import { auditLog } from "../db/schema";

export async function audit(db: Db, entry: { actor: string; action: string; target: string; detail?: unknown }): Promise<void> {
  await db.insert(auditLog).values({ actor: entry.actor, action: entry.action, target: entry.target, detail: entry.detail ?? null });
}

export async function auditEntries(db: Db, limit = 200) {
  return db.select().from(auditLog).orderBy(desc(auditLog.at)).limit(limit);
}
