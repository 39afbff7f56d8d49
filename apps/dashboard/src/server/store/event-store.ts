import { and, desc, eq, gte, lte } from "drizzle-orm";
import type { AgentEvent } from "@netatlas/core";
import type { Db } from "../db/open";
import { events } from "../db/schema";

export async function recordEvents(db: Db, node: string, list: readonly AgentEvent[]): Promise<void> {
  if (!list.length) return;
  await db.insert(events).values(list.map((e) => ({ node, seq: e.seq, at: new Date(e.at), kind: e.kind, action: e.action, netns: e.netns ?? null, subject: e.subject, detail: e.detail ?? null })));
}

export async function storedEvents(db: Db, node: string, range: { from?: Date; to?: Date; limit?: number } = {}) {
  const where = and(eq(events.node, node), range.from ? gte(events.at, range.from) : undefined, range.to ? lte(events.at, range.to) : undefined);
  return db.select().from(events).where(where).orderBy(desc(events.at)).limit(range.limit ?? 500);
}
