import { isDisruptive } from "@netatlas/core";
import type { JobProgress } from "../../fleet/reconcile-model";
import type { ApplyResult } from "../metrics/dashboard-metrics";
import type { Db } from "../db/open";
import { audit } from "../store/audit-store";
import { applyInWaves, waves, type ApplyTarget, type WaveDeps } from "./apply-waves";
import { createJob, runningJob, updateJob, type ApplyJob } from "./job-store";
import type { PlanSet } from "./plan-set-store";

/** A request the server refuses before starting anything; `field` says which input is wrong. */
export class ApplyRefused extends Error {
  override name = "ApplyRefused";
  constructor(
    readonly code: "BAD_REQUEST" | "CONFLICT",
    message: string,
  ) {
    super(message);
  }
}

/** The reviewed plans of `nodes` (all planned nodes when none are named); disruptive ops only with `allowDisruptive`. */
export function applyTargets(set: PlanSet, nodes: readonly string[] | undefined, allowDisruptive: boolean): ApplyTarget[] {
  const planned = set.nodes.filter((n) => n.status === "planned" && n.plan);
  // A node named twice would get its plan twice: the second apply finds it used up and fails the job.
  const chosen = nodes?.length ? [...new Set(nodes)] : planned.map((n) => n.node);
  return chosen.map((name) => {
    const entry = planned.find((n) => n.node === name);
    if (!entry?.plan) throw new ApplyRefused("BAD_REQUEST", `nodes: ${name} has no plan in plan set ${set.id} (${set.nodes.find((n) => n.node === name)?.error ?? "not in it"})`);
    const disruptive = entry.plan.ops.filter(isDisruptive).length;
    if (disruptive && !allowDisruptive) throw new ApplyRefused("BAD_REQUEST", `allowDisruptive: ${name}'s plan has ${disruptive} disruptive op(s) (containers would be cut off); review them and allow them explicitly`);
    return { node: name, planHash: entry.plan.hash, ops: entry.plan.ops.length, allowDisruptive: disruptive > 0 };
  });
}

/**
 * Starts an apply job in the background and returns it at once; the job row
 * carries its progress, `done` its result once it ended and was recorded.
 * One job at a time in the fleet: a second is refused while one runs, also
 * when it runs in another dashboard replica (the database decides).
 */
export async function startApplyJob(db: Db, set: PlanSet, request: { nodes?: readonly string[]; allowDisruptive: boolean }, by: { author: string; replica: string }, deps: Omit<WaveDeps, "onProgress">): Promise<{ job: ApplyJob; done: Promise<ApplyResult> }> {
  const { author } = by;
  const targets = applyTargets(set, request.nodes, request.allowDisruptive);
  if (!targets.length) throw new ApplyRefused("BAD_REQUEST", `nodes: plan set ${set.id} has no reachable node to apply`);
  const initial: JobProgress = { nodes: waves(targets).flatMap((w, i) => w.map((t) => ({ node: t.node, wave: i + 1, state: "waiting" as const, planHash: t.planHash, ops: t.ops, results: [], remaining: [], error: null }))), checks: [] };
  const job = await createJob(db, set.id, author, by.replica, initial);
  if (job === "busy") {
    // The running job may have ended since the insert was refused: then there is no number to name.
    const running = await runningJob(db);
    throw new ApplyRefused("CONFLICT", `form: ${running ? `apply job ${running.id}` : "another apply job"} is still running; wait for it to finish`);
  }
  const action = set.kind === "repair" ? "repair" : "apply";
  const target = targets.length === 1 ? (targets[0] as ApplyTarget).node : "fleet";
  try {
    await audit(db, { actor: author, action, target, detail: { job: job.id, planSet: set.id, specVersion: set.specVersion, nodes: targets } });
  } catch (error) {
    // Nothing ran, and a job left "running" would refuse every later apply until a restart.
    await updateJob(db, job.id, { progress: initial, status: "failed", message: `not started: the audit log could not record it (${(error as Error).message})` }).catch(() => undefined);
    throw error;
  }
  let last: JobProgress = initial;
  const onProgress = (progress: JobProgress) => updateJob(db, job.id, { progress: (last = progress) });
  const done = applyInWaves(targets, { ...deps, onProgress })
    .then(async (outcome) => {
      await updateJob(db, job.id, { progress: outcome.progress, status: outcome.status, message: outcome.message });
      await audit(db, { actor: author, action: `${action}-${outcome.status}`, target, detail: { job: job.id, message: outcome.message, nodes: outcome.progress.nodes.map((n) => ({ node: n.node, state: n.state, error: n.error })) } });
      return outcome.status;
    })
    .catch(async (error: Error) => {
      console.error(`apply job ${job.id}: ${error.message}`);
      const message = `the job broke off: ${error.message}`;
      await updateJob(db, job.id, { progress: last, status: "failed", message }).catch((e: Error) => console.error(`apply job ${job.id}: could not record its failure: ${e.message}`));
      await audit(db, { actor: author, action: `${action}-failed`, target, detail: { job: job.id, message } }).catch((e: Error) => console.error(`apply job ${job.id}: could not audit its failure: ${e.message}`));
      return "failed" as const;
    });
  return { job, done };
}
