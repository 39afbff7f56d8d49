import { and, eq, gt, inArray, lt, ne, sql } from "drizzle-orm";
import type { Db } from "../db/open";
import { agentLeases } from "../db/schema";

const expiry = (ttlMs: number) => sql`now() + make_interval(secs => ${ttlMs / 1000})`;

/** Extends `replica`'s leases on `nodes` by `ttlMs`; answers those it still holds (one another replica took after it expired is not). */
export async function renewLeases(db: Db, replica: string, nodes: readonly string[], ttlMs: number): Promise<string[]> {
  if (!nodes.length) return [];
  const rows = await db.update(agentLeases).set({ expiresAt: expiry(ttlMs) }).where(and(eq(agentLeases.replica, replica), inArray(agentLeases.node, [...nodes]))).returning({ node: agentLeases.node });
  return rows.map((r) => r.node);
}

/** Takes the lease on `node` when nobody holds it or its holder let it expire; answers whether `replica` holds it now. */
export async function claimLease(db: Db, replica: string, node: string, ttlMs: number): Promise<boolean> {
  const rows = await db
    .insert(agentLeases)
    .values({ node, replica, expiresAt: expiry(ttlMs) })
    .onConflictDoUpdate({ target: agentLeases.node, set: { replica, expiresAt: expiry(ttlMs) }, setWhere: lt(agentLeases.expiresAt, sql`now()`) })
    .returning({ node: agentLeases.node });
  return rows.length > 0;
}

/** Gives up `replica`'s leases on `nodes` (all of them when `nodes` is undefined), for another replica to claim at once. */
export async function releaseLeases(db: Db, replica: string, nodes?: readonly string[]): Promise<void> {
  if (nodes && !nodes.length) return;
  await db.delete(agentLeases).where(and(eq(agentLeases.replica, replica), nodes ? inArray(agentLeases.node, [...nodes]) : undefined));
}

/** The nodes other replicas hold unexpired leases on. */
export async function takenByOthers(db: Db, replica: string): Promise<string[]> {
  return (await db.select({ node: agentLeases.node }).from(agentLeases).where(and(ne(agentLeases.replica, replica), gt(agentLeases.expiresAt, sql`now()`)))).map((r) => r.node);
}

/** Every unexpired lease: node -> replica (health pages, tests). */
export async function currentLeases(db: Db): Promise<Map<string, string>> {
  return new Map((await db.select({ node: agentLeases.node, replica: agentLeases.replica }).from(agentLeases).where(gt(agentLeases.expiresAt, sql`now()`))).map((r) => [r.node, r.replica]));
}
