import { Op, OpResult, Plan } from "@netatlas/core";
import { z } from "zod";

/** One spec node's plan, or why it is left out (no dashboard node, agent unreachable, no admin token). */
export const PlanEntry = z.object({
  node: z.string(),
  /** The dashboard node it maps to (by agent node name), when one does. */
  dashboardNode: z.string().nullable(),
  status: z.enum(["planned", "unreachable", "excluded"]),
  plan: Plan.nullable(),
  error: z.string().nullable(),
});
export type PlanEntry = z.infer<typeof PlanEntry>;

export const NodeProgress = z.object({
  node: z.string(),
  wave: z.number().int(),
  state: z.enum(["waiting", "applying", "applied", "failed", "stale", "not-started"]),
  planHash: z.string(),
  ops: z.number().int(),
  results: z.array(OpResult),
  /** Ops a fresh plan still wanted after the apply (the agent's own verification). */
  remaining: z.array(Op),
  error: z.string().nullable(),
});
export type NodeProgress = z.infer<typeof NodeProgress>;

/**
 * A probe after a wave from a pod (or a Docker container) on one applied node
 * to one on another; "skipped" when there was nothing to probe from or to, and
 * `detail` says why (a skipped probe proves nothing, so it is never "passed").
 */
export const WaveCheck = z.object({
  wave: z.number().int(),
  from: z.string(),
  to: z.string(),
  /** pod or container: what was probed. */
  kind: z.enum(["pod", "container"]),
  target: z.string(),
  result: z.enum(["passed", "failed", "skipped"]),
  detail: z.string(),
});
export type WaveCheck = z.infer<typeof WaveCheck>;

export const JobProgress = z.object({ nodes: z.array(NodeProgress), checks: z.array(WaveCheck) });
export type JobProgress = z.infer<typeof JobProgress>;

export type JobStatus = "running" | "succeeded" | "failed" | "stopped";
