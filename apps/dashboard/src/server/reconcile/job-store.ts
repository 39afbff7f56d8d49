import { desc, eq } from "drizzle-orm";
import type { Db } from "../db/open";
import { applyJobs } from "../db/schema";
import type { JobProgress, JobStatus } from "../../fleet/reconcile-model";

export interface ApplyJob {
  id: number;
  planSetId: number;
  startedAt: string;
  finishedAt: string | null;
  author: string;
  status: JobStatus;
  message: string | null;
  progress: JobProgress;
}

const view = (r: typeof applyJobs.$inferSelect): ApplyJob => ({
  id: r.id,
  planSetId: r.planSetId,
  startedAt: r.startedAt.toISOString(),
  finishedAt: r.finishedAt?.toISOString() ?? null,
  author: r.author,
  status: r.status,
  message: r.message,
  progress: r.progress as JobProgress,
});

export async function createJob(db: Db, planSetId: number, author: string, progress: JobProgress): Promise<ApplyJob> {
  const [row] = await db.insert(applyJobs).values({ planSetId, author, status: "running", progress }).returning();
  return view(row as typeof applyJobs.$inferSelect);
}

export async function updateJob(db: Db, id: number, change: { progress: JobProgress; status?: JobStatus; message?: string }): Promise<void> {
  const done = change.status && change.status !== "running";
  await db.update(applyJobs).set({ progress: change.progress, ...(change.status ? { status: change.status } : {}), ...(change.message ? { message: change.message } : {}), ...(done ? { finishedAt: new Date() } : {}) }).where(eq(applyJobs.id, id));
}

export async function job(db: Db, id: number): Promise<ApplyJob | undefined> {
  const [row] = await db.select().from(applyJobs).where(eq(applyJobs.id, id));
  return row && view(row);
}

export async function recentJobs(db: Db, limit = 20): Promise<ApplyJob[]> {
  return (await db.select().from(applyJobs).orderBy(desc(applyJobs.id)).limit(limit)).map(view);
}

/** Jobs still "running" from a server that stopped: nothing will finish them, so they end as stopped. */
export async function stopOrphanedJobs(db: Db): Promise<number> {
  const rows = await db.update(applyJobs).set({ status: "stopped", message: "the dashboard restarted during this apply; check the nodes' drift and plan again", finishedAt: new Date() }).where(eq(applyJobs.status, "running")).returning({ id: applyJobs.id });
  return rows.length;
}
