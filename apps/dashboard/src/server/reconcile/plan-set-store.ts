import { desc, eq } from "drizzle-orm";
import type { Db } from "../db/open";
import { planSets } from "../db/schema";
import type { PlanEntry } from "../../fleet/reconcile-model";

export interface PlanSet {
  id: number;
  createdAt: string;
  author: string;
  kind: "spec" | "repair";
  specVersion: number | null;
  nodes: PlanEntry[];
}

const view = (r: typeof planSets.$inferSelect): PlanSet => ({ id: r.id, createdAt: r.createdAt.toISOString(), author: r.author, kind: r.kind, specVersion: r.specVersion, nodes: r.nodes as PlanEntry[] });

export async function savePlanSet(db: Db, set: Omit<PlanSet, "id" | "createdAt">): Promise<PlanSet> {
  const [row] = await db.insert(planSets).values(set).returning();
  return view(row as typeof planSets.$inferSelect);
}

export async function planSet(db: Db, id: number): Promise<PlanSet | undefined> {
  const [row] = await db.select().from(planSets).where(eq(planSets.id, id));
  return row && view(row);
}

export async function latestPlanSet(db: Db, kind: PlanSet["kind"]): Promise<PlanSet | undefined> {
  const [row] = await db.select().from(planSets).where(eq(planSets.kind, kind)).orderBy(desc(planSets.id)).limit(1);
  return row && view(row);
}
