import { and, desc, eq, gte, like, lte, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/open";
import { auditLog } from "../db/schema";
import { storableText } from "../text-input";
import { storableTime } from "../time-input";

export async function audit(db: Db, entry: { actor: string; action: string; target: string; detail?: unknown }): Promise<void> {
  await db.insert(auditLog).values({ actor: entry.actor, action: entry.action, target: entry.target, detail: entry.detail ?? null });
}

/** What the audit page filters by; every field optional, times as ISO strings. */
export const AuditFilter = z
  .object({
    action: z.string().max(64).refine(storableText, "action has no NUL characters").optional(),
    actor: z.string().max(128).refine(storableText, "actor has no NUL characters").optional(),
    /** The entry's target: a node name, "fleet", "dashboard". */
    node: z.string().max(253).refine(storableText, "node has no NUL characters").optional(),
    from: z.iso.datetime({ offset: true, message: "from must be a date and time" }).refine(storableTime, "from must lie between 1970 and 9999").optional(),
    to: z.iso.datetime({ offset: true, message: "to must be a date and time" }).refine(storableTime, "to must lie between 1970 and 9999").optional(),
    limit: z.number().int().min(1).max(10_000).default(200),
  })
  .strict();
export type AuditFilter = z.input<typeof AuditFilter>;

/** Text that LIKE matches only as itself: `%` and `_` in a node filter are no wildcards (backslash is LIKE's escape). */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function auditEntries(db: Db, filter: AuditFilter = {}) {
  const f = AuditFilter.parse(filter);
  const where: SQL[] = [];
  if (f.action) where.push(eq(auditLog.action, f.action));
  if (f.actor) where.push(eq(auditLog.actor, f.actor));
  // A fleet-wide apply names its nodes in the detail ({"nodes": [{"node": "node1", …}]}): it is about node1 too.
  if (f.node) where.push(or(eq(auditLog.target, f.node), like(sql`${auditLog.detail}::text`, `%"node": ${likeLiteral(JSON.stringify(f.node))}%`)) as SQL);
  if (f.from) where.push(gte(auditLog.at, new Date(f.from)));
  if (f.to) where.push(lte(auditLog.at, new Date(f.to)));
  return db.select().from(auditLog).where(and(...where)).orderBy(desc(auditLog.at), desc(auditLog.id)).limit(f.limit);
}

/** The actions and actors that occur, for the filter's choices. */
export async function auditFacets(db: Db): Promise<{ actions: string[]; actors: string[] }> {
  const actions = await db.selectDistinct({ v: auditLog.action }).from(auditLog).orderBy(auditLog.action);
  const actors = await db.selectDistinct({ v: auditLog.actor }).from(auditLog).orderBy(auditLog.actor);
  return { actions: actions.map((r) => r.v), actors: actors.map((r) => r.v) };
}

/** An entry as the page and the JSON export give it. */
export function auditView(e: Awaited<ReturnType<typeof auditEntries>>[number]) {
  return { id: e.id, at: e.at.toISOString(), actor: e.actor, action: e.action, target: e.target, detail: e.detail };
}
