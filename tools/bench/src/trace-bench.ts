import { readFileSync } from "node:fs";
import { cidrContainsIp, NodeSnapshot, prepareFleet, trace, type TraceResult } from "@netatlas/core";
import { formatRatios, median, type Measurement } from "./measure.js";
import { repoRoot } from "./paths.js";
import { syntheticFleet } from "./synthetic-fleet.js";

const TARGET_MS = 50;

function timeEach(count: number, fn: (i: number) => void): number[] {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    fn(i);
    times.push(performance.now() - start);
  }
  return times;
}

/** The naive way to decide the same hops: scan every route of the namespace for each route hop, keep the longest prefix. */
function linearScan(fleet: NodeSnapshot[], result: TraceResult): void {
  for (const hop of result.forward.hops) {
    if (hop.action !== "route") continue;
    const node = fleet.find((n) => n.node === hop.node)!;
    let best = -1;
    for (const r of node.routes) {
      if (r.netns !== hop.netns.id || r.family !== 4) continue;
      const len = Number(r.dst.split("/")[1]);
      if (len > best && cidrContainsIp(r.dst, hop.packet.dst)) best = len;
    }
  }
}

/**
 * Issue 8's benchmark: pod-to-pod traces across a synthetic fleet of `nodes`
 * nodes (the recorded VXLAN node cloned and renumbered), against two baselines
 * in the same run: parsing the fleet's JSON, and deciding each route hop by a
 * linear scan of the namespace's routes.
 */
export function traceBenchmark(options: { nodes: number; runs: number }): boolean {
  const recorded = NodeSnapshot.array().parse(JSON.parse(readFileSync(`${repoRoot}packages/core/test/fixtures/fleet-vxlan.json`, "utf8")));
  const fleet = syntheticFleet(recorded, options.nodes);
  const json = JSON.stringify(fleet);
  const traces = Math.max(options.runs, 200);
  const pairs = Array.from({ length: traces }, (_, i) => {
    const from = fleet[(i * 7) % fleet.length]!;
    const to = fleet[(i * 13 + 1) % fleet.length]!;
    return { pod: from.pods[i % from.pods.length]!.name, ip: to.pods[(i + 1) % to.pods.length]!.ips[0]! };
  });
  const prepareStart = performance.now();
  const index = prepareFleet(fleet);
  const prepareMs = performance.now() - prepareStart;
  const results = pairs.map((p) => trace(index, { pod: p.pod }, { ip: p.ip, port: 8080 }));
  const undelivered = results.filter((r) => r.forward.verdict.kind !== "delivered").length;
  if (undelivered) throw new Error(`${undelivered} of ${traces} synthetic traces were not delivered: ${results.find((r) => r.forward.verdict.kind !== "delivered")?.forward.verdict.message}`);

  const parse = median(timeEach(Math.min(options.runs, 20), () => JSON.parse(json)));
  const scan = median(timeEach(traces, (i) => linearScan(fleet, results[i]!)));
  const traceTimes = timeEach(traces, (i) => trace(index, { pod: pairs[i]!.pod }, { ip: pairs[i]!.ip, port: 8080 }));
  const perTrace = median(traceTimes);
  const p99 = [...traceTimes].sort((a, b) => a - b)[Math.floor(traceTimes.length * 0.99)]!;
  const hops = median(results.map((r) => r.forward.hops.length + (r.reverse?.hops.length ?? 0)));
  const rows: Measurement[] = [
    { label: `baseline: JSON.parse of the fleet (${(json.length / 1e6).toFixed(1)} MB)`, ms: parse },
    { label: "baseline: linear route scan for the trace's route hops", ms: scan },
    { label: "prepareFleet (once per fleet)", ms: prepareMs },
    { label: `trace, forward + reply (${hops} hops), median of ${traces}`, ms: perTrace },
  ];
  console.log(formatRatios(`\ntrace over a synthetic ${options.nodes}-node VXLAN fleet (${fleet.reduce((n, s) => n + s.routes.length, 0)} routes)`, rows));
  const ok = perTrace < TARGET_MS;
  console.log(`\n  trace median ${perTrace.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms (target < ${TARGET_MS} ms): ${ok ? "MET" : "NOT MET"}`);
  return ok;
}
