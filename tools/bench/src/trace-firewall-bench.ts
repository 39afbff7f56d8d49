import { readFileSync } from "node:fs";
import { InvalidArgumentError } from "commander";
import { NodeSnapshot, prepareFleet, trace, type FilterRuleset, type FleetIndex, type TraceResult } from "@netatlas/core";
import { REJECTED_SERVICE, kubeProxyRuleset } from "./kube-proxy-rules.js";
import { formatRatios, median } from "./measure.js";
import { repoRoot } from "./paths.js";
import { syntheticFleet } from "./synthetic-fleet.js";

const TARGET_MS = 5;
const MAX_RULES = 200_000;

/** `--rules`: a whole number of filter rules per node (commander prints the error, naming the option). */
export function ruleCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 10 || n > MAX_RULES) throw new InvalidArgumentError(`--rules must be a whole number from 10 to ${MAX_RULES}.`);
  return n;
}

const percentile = (times: number[], p: number) => [...times].sort((a, b) => a - b)[Math.min(times.length - 1, Math.floor(times.length * p))]!;

/**
 * Issue 19's benchmark: the pod-to-pod traces of the synthetic fleet, once through nodes
 * that carry `rules` kube-proxy-like filter rules (met at the forward, input and output
 * hooks of every node on the way, both ways) and once through the same nodes without a
 * rule, timed in turns in the same run. The rules must be seen: a trace to the service
 * kube-proxy rejects has to end "filtered", and every pod path still delivered.
 */
export function traceFirewallBenchmark(options: { nodes: number; runs: number; rules: number }): boolean {
  const recorded = NodeSnapshot.array().parse(JSON.parse(readFileSync(`${repoRoot}packages/core/test/fixtures/fleet-vxlan.json`, "utf8")));
  const plain = syntheticFleet(recorded, options.nodes);
  const hostOf = (n: NodeSnapshot) => n.namespaces.find((ns) => ns.kind === "host")!.id;
  // One ruleset per host namespace inode (the clones share node1's): the fleet holds it once.
  const rulesets = new Map<number, FilterRuleset>();
  const rulesOf = (id: number) => rulesets.get(id) ?? rulesets.set(id, kubeProxyRuleset(id, options.rules)).get(id)!;
  const withRules = plain.map((n) => ({ ...n, filter: rulesOf(hostOf(n)) }));
  const withoutRules = plain.map((n) => ({ ...n, filter: { chains: [], rules: [] } }));
  const ruleCountPerNode = withRules[0]!.filter.rules.length;

  const traces = Math.max(options.runs, 200);
  const pairs = Array.from({ length: traces }, (_, i) => {
    const from = plain[(i * 7) % plain.length]!;
    const to = plain[(i * 13 + 1) % plain.length]!;
    return { pod: from.pods[i % from.pods.length]!.name, ip: to.pods[(i + 1) % to.pods.length]!.ips[0]! };
  });
  const run = (fleet: FleetIndex, i: number): TraceResult => trace(fleet, { pod: pairs[i]!.pod }, { ip: pairs[i]!.ip, port: 8080 });

  const bare = prepareFleet(withoutRules);
  const started = performance.now();
  const ruled = prepareFleet(withRules);
  // The first trace through a node compiles its tables: timed apart from the per-path time.
  const first = pairs.map((_, i) => run(ruled, i));
  const firstMs = performance.now() - started;
  const undelivered = first.filter((r) => r.forward.verdict.kind !== "delivered" || r.reverse?.verdict.kind !== "delivered");
  if (undelivered.length) throw new Error(`${undelivered.length} of ${traces} traces through the rules were not delivered both ways: ${undelivered[0]!.forward.verdict.message}`);
  const rejected = trace(ruled, { pod: pairs[0]!.pod }, { ip: REJECTED_SERVICE.ip, protocol: "tcp", port: REJECTED_SERVICE.port });
  if (rejected.forward.verdict.kind !== "filtered") throw new Error(`the trace did not meet the rules: a packet to the rejected service ${REJECTED_SERVICE.ip}:${REJECTED_SERVICE.port} was ${rejected.forward.verdict.kind} (${rejected.forward.verdict.message})`);
  pairs.forEach((_, i) => run(bare, i));

  const without: number[] = [];
  const within: number[] = [];
  for (let i = 0; i < traces; i++) {
    for (const [fleet, times] of [[bare, without], [ruled, within]] as const) {
      const start = performance.now();
      run(fleet, i);
      times.push(performance.now() - start);
    }
  }
  const hops = median(first.map((r) => r.forward.hops.length + (r.reverse?.hops.length ?? 0)));
  console.log(
    formatRatios(`\ntrace through the firewall: ${options.nodes}-node synthetic VXLAN fleet, ${ruleCountPerNode} kube-proxy-like filter rules on every node`, [
      { label: "baseline: the same traces without rules", ms: median(without) },
      { label: `trace, forward + reply (${hops} hops), median of ${traces}`, ms: median(within) },
    ]),
  );
  const perPath = median(within);
  const ok = perPath < TARGET_MS;
  const rssMb = process.memoryUsage().rss / 1e6;
  console.log(`\n  first ${traces} traces, compiling the rules of every node they cross on first use: ${firstMs.toFixed(0)} ms; resident memory now ${rssMb.toFixed(0)} MB`);
  console.log(`  p99 per path: ${percentile(within, 0.99).toFixed(3)} ms with rules, ${percentile(without, 0.99).toFixed(3)} ms without`);
  console.log(`  per path ${perPath.toFixed(3)} ms against ${median(without).toFixed(3)} ms without rules (${(perPath / median(without)).toFixed(2)}x); target < ${TARGET_MS} ms: ${ok ? "MET" : "NOT MET"}`);
  return ok;
}
