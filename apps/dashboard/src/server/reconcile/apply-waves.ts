import { describeOp } from "@netatlas/core";
import type { JobProgress, JobStatus, NodeProgress, WaveCheck } from "../../fleet/reconcile-model";
import type { AgentLookup } from "./node-agents";
import { StalePlanError } from "./reconcile-agent";

/** A reviewed plan to carry out on one node. */
export interface ApplyTarget {
  node: string;
  planHash: string;
  ops: number;
  /** The plan has disruptive ops and the person confirmed them. */
  allowDisruptive: boolean;
}

export interface WaveDeps {
  agents: AgentLookup;
  /** The post-apply check after a wave, over every node applied so far; [] when no pair of nodes can be probed. */
  check: (applied: string[], wave: number) => Promise<WaveCheck[]>;
  /** Called on every change, so the page sees progress live (the job row is updated). */
  onProgress: (progress: JobProgress) => Promise<void>;
}

export interface WaveOutcome {
  status: Exclude<JobStatus, "running">;
  message: string;
  progress: JobProgress;
}

/** Wave 1 is the first node alone (a bad spec breaks one node, not all); wave 2 is everyone else. */
export function waves(targets: readonly ApplyTarget[]): ApplyTarget[][] {
  const sorted = [...targets].sort((a, b) => a.node.localeCompare(b.node, undefined, { numeric: true }));
  return [sorted.slice(0, 1), sorted.slice(1)].filter((w) => w.length > 0);
}

async function applyOne(target: ApplyTarget, agents: AgentLookup, into: NodeProgress): Promise<void> {
  const choice = agents(target.node);
  if (!choice.ok) {
    Object.assign(into, { state: "failed", error: choice.reason });
    return;
  }
  try {
    const result = await choice.agent.applyPlan(target.planHash, { allowDisruptive: target.allowDisruptive });
    const failed = result.results.find((r) => r.status === "failed");
    const error = failed ? `${describeOp(failed.op)}: ${failed.error ?? "failed"}` : result.remaining.length ? `after the apply the node still differs: ${result.remaining.map(describeOp).join("; ")}` : null;
    Object.assign(into, { state: error ? "failed" : "applied", results: result.results, remaining: result.remaining, error });
  } catch (error) {
    const stale = error instanceof StalePlanError;
    Object.assign(into, { state: stale ? "stale" : "failed", error: stale ? `${(error as Error).message}` : `agent ${choice.dashboardNode}: ${(error as Error).message}` });
  }
}

/**
 * Applies reviewed plans in waves and stops at the first wave where a node
 * fails (or refuses a stale plan) or where the post-apply check fails: later
 * waves are not started.
 */
export async function applyInWaves(targets: readonly ApplyTarget[], deps: WaveDeps): Promise<WaveOutcome> {
  const plan = waves(targets);
  const progress: JobProgress = {
    nodes: plan.flatMap((wave, i) => wave.map((t): NodeProgress => ({ node: t.node, wave: i + 1, state: "waiting", planHash: t.planHash, ops: t.ops, results: [], remaining: [], error: null }))),
    checks: [],
  };
  const entry = (node: string) => progress.nodes.find((n) => n.node === node) as NodeProgress;
  const stop = async (message: string): Promise<WaveOutcome> => {
    for (const n of progress.nodes) if (n.state === "waiting") n.state = "not-started";
    await deps.onProgress(progress);
    return { status: "failed", message, progress };
  };
  await deps.onProgress(progress);
  for (const [i, wave] of plan.entries()) {
    for (const t of wave) entry(t.node).state = "applying";
    await deps.onProgress(progress);
    await Promise.all(wave.map((t) => applyOne(t, deps.agents, entry(t.node)).then(() => deps.onProgress(progress))));
    const bad = wave.map((t) => entry(t.node)).filter((n) => n.state !== "applied");
    if (bad.length) {
      const stale = bad.filter((n) => n.state === "stale");
      return stop(stale.length ? `${stale.map((n) => n.node).join(", ")} changed since the plan was made; plan again and review the new plan` : `wave ${i + 1} failed on ${bad.map((n) => `${n.node} (${n.error})`).join(", ")}; later waves were not started`);
    }
    const applied = progress.nodes.filter((n) => n.state === "applied").map((n) => n.node);
    const checks = await deps.check(applied, i + 1);
    progress.checks.push(...checks);
    const failedChecks = checks.filter((c) => c.result === "failed");
    if (failedChecks.length) return stop(`the check after wave ${i + 1} failed: ${failedChecks.map((c) => `${c.from} -> ${c.to} ${c.target}: ${c.detail}`).join("; ")}; later waves were not started`);
  }
  await deps.onProgress(progress);
  return { status: "succeeded", message: `${progress.nodes.length} node(s) applied in ${plan.length} wave(s); ${checkSummary(progress.checks)}`, progress };
}

/** How many probes passed and how many were skipped and why: a skipped probe proved nothing, and the message must not hide it. */
export function checkSummary(checks: readonly WaveCheck[]): string {
  const passed = checks.filter((c) => c.result === "passed").length;
  const skipped = checks.filter((c) => c.result === "skipped");
  if (!checks.length) return "nothing was probed across nodes (no other applied node, and no node in sync with its intent, to probe)";
  const why = [...new Set(skipped.map((c) => `${c.from} -> ${c.to} ${c.kind}: ${c.detail}`))].join("; ");
  if (!passed) return `nothing was probed across nodes: all ${skipped.length} probe(s) skipped (${why})`;
  return `${passed} cross-node probe(s) passed${skipped.length ? `, ${skipped.length} skipped (${why})` : ""}`;
}
