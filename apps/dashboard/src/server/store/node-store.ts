import { eq, isNotNull, sql } from "drizzle-orm";
import type { AgentTarget } from "../agent-target";
import type { Db } from "../db/open";
import { nodes } from "../db/schema";
import { isSealed, type TokenSeal } from "../secrets/token-seal";

/**
 * Stores a node. Only a node added in the UI keeps its token here, sealed: a configured
 * node's token stays in the configuration, which is read at every start.
 */
export async function upsertNode(db: Db, target: AgentTarget, seal: TokenSeal): Promise<void> {
  const token = target.source === "ui" && target.token ? seal.seal(target.token) : null;
  const values = { name: target.name, url: target.url, token, source: target.source };
  await db.insert(nodes).values(values).onConflictDoUpdate({ target: nodes.name, set: { url: values.url, token: values.token, source: values.source } });
}

export async function removeNode(db: Db, name: string): Promise<boolean> {
  const removed = await db.delete(nodes).where(eq(nodes.name, name)).returning({ name: nodes.name });
  return removed.length > 0;
}

/**
 * Nodes stored in the database (added in the UI, or remembered from configuration, then
 * without a token). A token that cannot be opened is logged and left out: the agent then
 * refuses the node's polls, and the log says why and what to do.
 */
export async function storedNodes(db: Db, seal: TokenSeal, log: (message: string) => void = (m) => console.error(m)): Promise<AgentTarget[]> {
  const rows = await db.select().from(nodes).orderBy(nodes.name);
  return rows.map((r) => {
    let token: string | undefined;
    try {
      token = r.token ? seal.open(r.token) : undefined;
    } catch (error) {
      log(`node ${r.name}: its stored agent token cannot be opened: ${(error as Error).message}; remove the node and add it again with its token`);
    }
    return { name: r.name, url: r.url, token, source: r.source };
  });
}

/**
 * Tokens a dashboard before sealing stored in plain text: sealed now (a node added in the
 * UI) or dropped (a configured node's, which the configuration holds). Returns how many.
 */
export async function sealPlainTokens(db: Db, seal: TokenSeal): Promise<number> {
  const plain = (await db.select().from(nodes).where(isNotNull(nodes.token))).filter((r) => r.token && !isSealed(r.token));
  for (const r of plain) await db.update(nodes).set({ token: r.source === "ui" ? seal.seal(r.token as string) : null }).where(eq(nodes.name, r.name));
  return plain.length;
}

export interface SeenMark {
  name: string;
  at: Date;
  /** The agent failed: only the error is kept (it was last seen before). */
  error: string | undefined;
}

/** Marks per statement: a fleet's worth of marks is a few statements, not one per node. */
const MARKS_PER_STATEMENT = 1_000;

/** Writes `marks` a statement's worth (MARKS_PER_STATEMENT) at a time, in their order. */
export async function inStatements<T>(marks: readonly T[], write: (chunk: readonly T[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < marks.length; i += MARKS_PER_STATEMENT) await write(marks.slice(i, i + MARKS_PER_STATEMENT));
}

/** Each node was heard from at `at`, or failed with `error`: one statement per kind and per MARKS_PER_STATEMENT nodes. */
export async function markSeen(db: Db, marks: readonly SeenMark[]): Promise<void> {
  await inStatements(marks, async (chunk) => {
    const answered = chunk.filter((m) => !m.error).map((m) => sql`(${m.name}, ${m.at.toISOString()}::timestamptz)`);
    const failed = chunk.filter((m) => m.error).map((m) => sql`(${m.name}, ${m.error}::text)`);
    if (answered.length) await db.execute(sql`update ${nodes} set last_seen_at = seen.at, last_error = null from (values ${sql.join(answered, sql`, `)}) as seen(name, at) where ${nodes.name} = seen.name`);
    if (failed.length) await db.execute(sql`update ${nodes} set last_error = seen.error from (values ${sql.join(failed, sql`, `)}) as seen(name, error) where ${nodes.name} = seen.name`);
  });
}
