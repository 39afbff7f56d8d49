import { NodeIntent, Op, OpResult } from "@netatlas/core";
import { z } from "zod";
import { ReconcileMode } from "./model.js";

export const PlanInput = z.object({ intent: NodeIntent }).strict();
export type PlanInput = z.infer<typeof PlanInput>;

export const ApplyInput = z
  .object({
    planHash: z.string().regex(/^[0-9a-f]{64}$/, "planHash is the 64-hex-digit hash a plan returned"),
    /** A person reviewed the plan's disruptive ops (containers disconnected from a Docker network) and wants them. */
    allowDisruptive: z.boolean().default(false),
  })
  .strict();
export type ApplyInput = z.infer<typeof ApplyInput>;

/** What an apply did, op by op, and what a fresh read still finds different afterwards. */
export const ApplyResult = z.object({
  node: z.string(),
  planHash: z.string(),
  results: z.array(OpResult),
  /** Ops a plan on the state after the apply still wants: empty when the node matches its intent. */
  remaining: z.array(Op),
  conflicts: z.array(z.string()),
});
export type ApplyResult = z.infer<typeof ApplyResult>;

/** The intent the agent keeps and whether the node matches it now. */
export const ReconcileStatus = z.object({
  intent: NodeIntent.nullable(),
  drift: z.array(Op),
  mode: ReconcileMode,
  /** An apply that was cut off and not yet finished (it is rolled forward at start). */
  journal: z.object({ planHash: z.string(), opsDone: z.number().int(), ops: z.number().int() }).nullable(),
});
export type ReconcileStatus = z.infer<typeof ReconcileStatus>;

/** The plan asked for is not known (never made, or made before a restart): plan again. */
export class UnknownPlanError extends Error {
  override name = "UnknownPlanError";
}

/** The plan has disruptive ops and the request did not allow them: nothing was changed. */
export class DisruptiveOpsRefusedError extends Error {
  override name = "DisruptiveOpsRefusedError";
}

/** The node changed since the plan was made, so the plan is not what would run: plan again. */
export class PlanOutdatedError extends Error {
  override name = "PlanOutdatedError";
}
