import type { ProbeResult } from "@netatlas/agent-api";
import type { ReachabilityState } from "@netatlas/core";
import { replyAgreement, type ExpectedReplies } from "./trace-agreement";

/** A row of a 200-node fleet is 199 cells; all cells of a fleet above 20 nodes are verified row by row or column by column. */
export const MOST_CELLS_VERIFIED = 400;

/** What the real probe of a cell got: replies, none, or no probe at all and why. */
export type ProbeAnswer = { outcome: "replies"; replies: number; attempts: number } | { outcome: "no-reply"; attempts: number; error?: string } | { outcome: "refused"; reason: string };

/** A cell's two answers: its state (from the snapshots) and its probe (from the kernel), and whether they agree. */
export interface CellVerification {
  from: string;
  to: string;
  /** The cell's state when it was probed: a later state is held against it by the page, not here. */
  state: ReachabilityState;
  probe: ProbeAnswer;
  /** null when there was nothing to hold the state against (no probe). */
  agree: boolean | null;
  message: string;
  /** When it was probed, ms since the epoch. */
  at: number;
}

type Pair = { from: string; to: string; state: ReachabilityState };

/** A delivered cell predicts replies, a failed one none; an uncertain one agrees with either (the probe says which way its undecided rules went). */
const EXPECTED: Record<Exclude<ReachabilityState, "no-endpoint">, ExpectedReplies> = { delivered: "replies", failed: "none", uncertain: "either" };

export function probedCell({ from, to, state }: Pair, probe: ProbeResult, at: number): CellVerification {
  const cell = { from, to, state };
  const replies = probe.attempts.filter((a) => a.ok).length;
  const answer: ProbeAnswer = replies > 0 ? { outcome: "replies", replies, attempts: probe.attempts.length } : { outcome: "no-reply", attempts: probe.attempts.length, ...(probe.attempts[0]?.error ? { error: probe.attempts[0].error } : {}) };
  if (cell.state === "no-endpoint") return { ...cell, probe: answer, agree: null, message: `${cell.from} → ${cell.to} has no endpoint to hold the probe against`, at };
  const { agree, message } = replyAgreement(EXPECTED[cell.state], `state says ${cell.state}`, probe);
  return { ...cell, probe: answer, agree, message, at };
}

export function refusedCell({ from, to, state }: Pair, reason: string, at: number): CellVerification {
  return { from, to, state, probe: { outcome: "refused", reason }, agree: null, message: `not probed: ${reason}`, at };
}
