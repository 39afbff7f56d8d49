import { readFileSync } from "node:fs";
import { NodeSnapshot, prepareFleet, reachability, trace, type ReachabilityEndpoint, type ReachabilityMatrix } from "@netatlas/core";
import { formatRatios, median, type Measurement } from "./measure.js";
import { repoRoot } from "./paths.js";
import { syntheticFleet } from "./synthetic-fleet.js";

const TARGET_MS = 1_000;
/** Plain traces timed at most; beyond it the rest is extrapolated from their mean (39,800 take ~10 s here). */
const TRACE_SAMPLE = 4_000;

function timed<T>(fn: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = fn();
  return { ms: performance.now() - start, value };
}

/**
 * Issue 15's benchmark: the reachability matrix of a synthetic fleet of `nodes`
 * VXLAN nodes (every ordered pair, reply included), against the same pairs as
 * plain trace() calls over the same prepared fleet, in the same run. The plain
 * traces start where the matrix's do (each node's representative pod's
 * namespace, to its peer's pod address); past TRACE_SAMPLE of them, a sample
 * spread over all pairs is timed and the total extrapolated, and the output says so.
 */
export function matrixBenchmark(options: { nodes: number; runs: number }): boolean {
  const recorded = NodeSnapshot.array().parse(JSON.parse(readFileSync(`${repoRoot}packages/core/test/fixtures/fleet-vxlan.json`, "utf8")));
  const fleet = syntheticFleet(recorded, options.nodes);
  const index = prepareFleet(fleet);
  const cold = timed(() => reachability(index));
  const matrix: ReachabilityMatrix = cold.value;
  if (matrix.summary.delivered !== matrix.summary.pairs) throw new Error(`${matrix.summary.pairs - matrix.summary.delivered} of ${matrix.summary.pairs} synthetic pairs were not delivered: ${matrix.cells.find((c) => c.state !== "delivered")?.message}`);
  const warm = median(Array.from({ length: options.runs }, () => timed(() => reachability(index)).ms));

  const endpoints = new Map<string, ReachabilityEndpoint>();
  for (const c of matrix.cells) if (c.source) endpoints.set(c.from, c.source);
  const pairs = matrix.cells.map((c) => [endpoints.get(c.from)!, endpoints.get(c.to)!] as const);
  const step = Math.max(1, Math.ceil(pairs.length / TRACE_SAMPLE));
  const sample = pairs.filter((_, i) => i % step === 0);
  const traced = timed(() => sample.filter(([a, b]) => trace(index, { netns: { node: a.node, id: a.netns } }, { ip: b.ip, protocol: "tcp" }).reverse?.verdict.kind === "delivered").length);
  if (traced.value !== sample.length) throw new Error(`${sample.length - traced.value} of ${sample.length} plain traces were not delivered both ways, but the matrix says every pair is`);
  const plain = (traced.ms / sample.length) * pairs.length;
  const extrapolated = sample.length < pairs.length ? `, ${sample.length} of them timed and the total extrapolated` : "";

  const { traced: ownTraces, composed } = matrix.summary;
  const rows: Measurement[] = [
    { label: `baseline: ${pairs.length} plain trace() calls, reply included${extrapolated}`, ms: plain },
    { label: `reachability matrix, first run (${ownTraces} pairs traced, ${composed} composed)`, ms: cold.ms },
    { label: `reachability matrix, median of ${options.runs}`, ms: warm },
  ];
  console.log(formatRatios(`\nreachability over a synthetic ${options.nodes}-node VXLAN fleet (${pairs.length} ordered pairs, one prepared fleet for all)`, rows));
  const ok = warm < TARGET_MS;
  console.log(`\n  matrix median ${warm.toFixed(0)} ms for ${pairs.length} pairs (target < ${TARGET_MS} ms on one core): ${ok ? "MET" : "NOT MET"}`);
  return ok;
}
