import { describeOp, type Plan } from "@netatlas/core";
import type { ApplyResult } from "@netatlas/agent-api";

/** A plan as a person reviews it: each op as the command it amounts to, with its reason. */
export function formatPlan(plan: Plan): string {
  const lines = [plan.ops.length ? `plan for ${plan.node}: ${plan.ops.length} ops` : `plan for ${plan.node}: nothing to do, the node matches the intent`];
  plan.ops.forEach((op, i) => lines.push(`  ${String(i + 1).padStart(3)}. ${describeOp(op)}`, `       because ${op.reason}`));
  for (const conflict of plan.conflicts) lines.push(`  ! not touched: ${conflict}`);
  lines.push(`plan hash: ${plan.hash}`);
  return `${lines.join("\n")}\n`;
}

const MARK = { applied: "ok  ", failed: "FAIL", skipped: "skip" } as const;

export function formatApplyResult(result: ApplyResult): string {
  const lines = [`applied plan ${result.planHash.slice(0, 12)}… on ${result.node}:`];
  for (const r of result.results) lines.push(`  ${MARK[r.status]} ${describeOp(r.op)}${r.error ? `: ${r.error}` : ""}`);
  lines.push(result.remaining.length ? `a fresh read still differs from the intent in ${result.remaining.length} ops:` : "verified: a fresh read matches the intent");
  for (const op of result.remaining) lines.push(`  ${describeOp(op)}`);
  return `${lines.join("\n")}\n`;
}
