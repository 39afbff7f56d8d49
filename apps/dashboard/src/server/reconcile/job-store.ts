import { and, desc, eq, isNull, ne, notInArray, or } from "drizzle-orm";
import type { Db } from "../db/open";
import { applyJobs, dashboardReplicas } from "../db/schema";
import { isUniqueViolation } from "../db/unique-violation";
import { seenWithin } from "../replicas/replica-store";
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

/**
 * Records a new job as running for `replica`, or answers "busy" when a job is running already:
 * the database holds one running job at most, so two replicas asking at once get one job between them.
 */
export async function createJob(db: Db, planSetId: number, author: string, replica: string, progress: JobProgress): Promise<ApplyJob | "busy"> {
  try {
    const [row] = await db.insert(applyJobs).values({ planSetId, author, replica, status: "running", progress }).returning();
    return view(row as typeof applyJobs.$inferSelect);
  } catch (error) {
    if (isUniqueViolation(error, "apply_jobs_one_running")) return "busy";
    throw error;
  }
}

/** The job running now, in any replica. */
export async function runningJob(db: Db): Promise<ApplyJob | undefined> {
  const [row] = await db.select().from(applyJobs).where(eq(applyJobs.status, "running")).limit(1);
  return row && view(row);
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

/**
 * Jobs still "running" in a replica that is gone (it has not said it was alive for `liveWithinMs`,
 * or it is from before replicas): nothing will finish them, so they end as stopped. The replica
 * `self` is live by definition; with `liveWithinMs` 0 every other replica counts as gone.
 */
export async function stopOrphanedJobs(db: Db, self: string, liveWithinMs: number): Promise<number> {
  const live = db.select({ id: dashboardReplicas.id }).from(dashboardReplicas).where(seenWithin(liveWithinMs));
  const gone = and(eq(applyJobs.status, "running"), or(isNull(applyJobs.replica), and(ne(applyJobs.replica, self), notInArray(applyJobs.replica, live))));
  const rows = await db.update(applyJobs).set({ status: "stopped", message: "the dashboard replica running this apply stopped during it; check the nodes' drift and plan again", finishedAt: new Date() }).where(gone).returning({ id: applyJobs.id });
  return rows.length;
}
