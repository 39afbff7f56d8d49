import { resolve } from "node:path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { applyBenchmark } from "./apply-bench.js";
import { churnBenchmark } from "./churn-bench.js";
import { dashboardBenchmark } from "./dashboard-bench.js";
import { ensureIsolated } from "./isolate.js";
import { matrixBenchmark } from "./matrix-bench.js";
import { serveBenchmark } from "./serve-bench.js";
import { snapshotBenchmark } from "./snapshot-bench.js";
import { traceBenchmark } from "./trace-bench.js";
import { ruleCount, traceFirewallBenchmark } from "./trace-firewall-bench.js";

const program = new Command("netatlas-bench")
  .description("netatlas benchmarks; each prints its ratio against a baseline measured in the same run (needs root)")
  .addOption(new Option("--pods <n>", "pod namespaces on the benchmark node (with --dashboard: pods on each fleet node)").default(110).argParser((v) => positive("--pods", v)))
  .addOption(new Option("--runs <n>", "measured runs per row (median)").default(5).argParser((v) => positive("--runs", v)))
  .addOption(new Option("--trace", "benchmark trace() over a synthetic fleet instead (pure: no namespaces, no root)"))
  .addOption(new Option("--rules <n>", "with --trace: kube-proxy-like filter rules on every node, traced against the same paths without rules").argParser(ruleCount))
  .addOption(new Option("--matrix", "benchmark the reachability matrix of a synthetic fleet against the same pairs as plain trace() calls (pure: no namespaces, no root)"))
  .addOption(new Option("--nodes <n>", "nodes in the synthetic fleet of --trace, --matrix and --dashboard").default(200).argParser((v) => positive("--nodes", v)))
  .addOption(new Option("--serve", "benchmark a running agent instead: a warm snapshot request over HTTP against a cold full read, and event latency against ip monitor"))
  .addOption(new Option("--changes <n>", "route changes timed by --serve's event latency (median)").default(20).argParser((v) => positive("--changes", v)))
  .addOption(new Option("--churn", "benchmark a running agent under churn instead: 1,000 route and 100 namespace changes a second on a --pods node; its CPU against ip monitor all-nsid's, its peak RSS, and its live snapshot against a full read at the end"))
  .addOption(new Option("--seconds <n>", "how long --churn churns").default(30).argParser((v) => positive("--seconds", v)))
  .addOption(new Option("--agent-cpu-prof <dir>", "with --churn: the agent writes a V8 CPU profile (.cpuprofile) into this directory when it stops"))
  .addOption(new Option("--apply", "benchmark applying a plan's routes in a namespace against one ip -batch of them"))
  .addOption(new Option("--routes <n>", "routes applied by --apply").default(1000).argParser((v) => positive("--routes", v)))
  .addOption(new Option("--dashboard", "benchmark the dashboard's production build over --nodes recorded agents on 127.0.0.1: its cold sync with streams against polls, the fleet page's server work against /api/health, in Chromium a 5,000-element topology against the sign-in page, and single changes seen through its API while --streams agents stream, against the agents' own stream (no root)"))
  .addOption(new Option("--streams <n>", "with --dashboard: recorded agents streaming at once while changes are timed").default(2000).argParser((v) => positive("--streams", v)))
  .addOption(new Option("--stream-pods <n>", "with --dashboard: pods on each of the --streams nodes (smaller than --pods: 2,000 nodes of 110 pods take minutes to sync and ~1.5 GB of history)").default(20).argParser((v) => positive("--stream-pods", v)))
  .addOption(new Option("--stream-changes <n>", "with --dashboard: changes timed, each a new route on a node of its own").default(100).argParser((v) => positive("--stream-changes", v)))
  .addOption(new Option("--change-every-ms <n>", "with --dashboard: the time between two changes").default(200).argParser((v) => positive("--change-every-ms", v)))
  .exitOverride();

function positive(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 5000) throw new InvalidArgumentError(`${flag} must be a whole number from 1 to 5000`);
  return n;
}

try {
  program.parse();
  const { trace, nodes, runs, serve, pods, changes, apply, routes, dashboard } = program.opts<{ trace?: boolean; nodes: number; runs: number; serve?: boolean; pods: number; changes: number; apply?: boolean; routes: number; dashboard?: boolean }>();
  const { rules, matrix, churn, seconds, agentCpuProf } = program.opts<{ rules?: number; matrix?: boolean; churn?: boolean; seconds: number; agentCpuProf?: string }>();
  if (dashboard) {
    const { streams, streamPods, streamChanges, changeEveryMs } = program.opts<{ streams: number; streamPods: number; streamChanges: number; changeEveryMs: number }>();
    process.exitCode = (await dashboardBenchmark({ nodes, pods, runs, streams, streamPods, changes: streamChanges, changeEveryMs })) ? 0 : 3;
  }
  else if (apply) {
    if (await ensureIsolated()) process.exitCode = (await applyBenchmark({ routes, runs })) ? 0 : 3;
  } else if (matrix) process.exitCode = matrixBenchmark({ nodes, runs }) ? 0 : 3;
  else if (trace && rules) process.exitCode = traceFirewallBenchmark({ nodes, runs, rules }) ? 0 : 3;
  else if (trace) process.exitCode = traceBenchmark({ nodes, runs }) ? 0 : 3;
  else if (churn) {
    if (await ensureIsolated()) process.exitCode = (await churnBenchmark({ pods, seconds, cpuProfileDir: agentCpuProf && resolve(agentCpuProf) })) ? 0 : 3;
  } else if (serve) {
    if (await ensureIsolated()) await serveBenchmark({ pods, runs, changes });
  } else if (await ensureIsolated()) {
    const opts = program.opts<{ pods: number; runs: number }>();
    const met = await snapshotBenchmark(opts);
    process.exitCode = met ? 0 : 3;
  }
} catch (error) {
  if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? 0 : 2;
  else {
    console.error(`bench: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
