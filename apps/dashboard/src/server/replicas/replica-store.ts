import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/open";
import { dashboardReplicas } from "../db/schema";

/** "seen within the last `ms`" by the database's clock: the one clock every replica shares. */
export const seenWithin = (ms: number) => sql`${dashboardReplicas.seenAt} > now() - make_interval(secs => ${ms / 1000})`;

/** The replica says it is alive now (and exists, the first time). */
export async function heartbeat(db: Db, id: string): Promise<void> {
  await db.insert(dashboardReplicas).values({ id }).onConflictDoUpdate({ target: dashboardReplicas.id, set: { seenAt: sql`now()` } });
}

/** The replicas that said they were alive within `ttlMs`, by id. */
export async function liveReplicas(db: Db, ttlMs: number): Promise<string[]> {
  return (await db.select({ id: dashboardReplicas.id }).from(dashboardReplicas).where(seenWithin(ttlMs)).orderBy(dashboardReplicas.id)).map((r) => r.id);
}

/** The replica is stopping: the others count it gone at once instead of after a ttl. */
export async function leave(db: Db, id: string): Promise<void> {
  await db.delete(dashboardReplicas).where(eq(dashboardReplicas.id, id));
}
