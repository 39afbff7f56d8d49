import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, snapshotNode } from "@netatlas/linux";
import { formatRatios, peakRssMb, timeInTurns, timeMedian, type Measurement } from "./measure.js";
import { agentBin, sharedBenchSource } from "./paths.js";
import { createPodNode, destroyPodNode } from "./pod-node.js";

const BATCH = "link show\naddr show\nroute show table all\nneigh show\n";
const TARGET_RATIO = 0.25;
const TARGET_RSS_MB = 100;

async function compileNetlinkLimit(dir: string): Promise<string | undefined> {
  const source = sharedBenchSource("netlink-limit.c");
  if (!source) return undefined;
  const binary = join(dir, "netlink-limit");
  await run(["gcc", "-O2", "-o", binary, source], { timeoutMs: 60_000 });
  return binary;
}

/** The physical limit: the C program's own timing of raw dumps, without its process start. */
async function netlinkLimit(binary: string, prefix: string, runs: number): Promise<Measurement> {
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const out = await run([binary, prefix, "/var/run/netns"]);
    const m = /(\d+) netns, (\d+) bytes, ([\d.]+) ms/.exec(out.stdout);
    if (!m) throw new Error(`netlink-limit printed no timing: ${out.stdout}`);
    if (i > 0) times.push(Number(m[3]));
  }
  times.sort((a, b) => a - b);
  return { label: "physical limit (netlink-limit.c, raw dumps in one process)", ms: times[Math.floor(times.length / 2)] as number };
}

/**
 * Issue 3's benchmark: a node with `pods` pod namespaces on a bridge, read three
 * ways in the same run — iproute2 per namespace (baseline), raw rtnetlink (limit),
 * and the agent's full snapshot.
 */
export async function snapshotBenchmark(options: { pods: number; runs: number }): Promise<boolean> {
  const prefix = `nabench${process.pid}`;
  const work = await mkdtemp(join(tmpdir(), "netatlas-bench-"));
  const started = performance.now();
  const node = await createPodNode(prefix, options.pods);
  const namespaces = [node.node, ...node.pods];
  console.log(`built ${namespaces.length} namespaces (${options.pods} pods on a bridge) in ${((performance.now() - started) / 1000).toFixed(1)} s; ${options.runs} runs each, median`);
  try {
    // The baseline and the agent are timed in turns, so the ratio's rows see the same machine load.
    // The agent's bin keeps a V8 code cache of its bundle (written by its first run); a row without it shows what that saves.
    const [baseline, agent, uncached] = (await timeInTurns(options.runs, [
      {
        label: `shell baseline (ip -n NS -j -d -batch -, ${namespaces.length} processes)`,
        fn: async () => {
          for (const ns of namespaces) await run(["ip", "-n", ns, "-j", "-d", "-batch", "-"], { input: BATCH });
        },
      },
      { label: "netatlas-agent snapshot --json (whole process)", fn: () => run(["node", agentBin, "snapshot", "--json"], { timeoutMs: 60_000 }) },
      {
        label: "the same without its compile cache (a first run)",
        fn: () => run(["node", agentBin, "snapshot", "--json"], { timeoutMs: 60_000, env: { ...process.env, NETATLAS_COMPILE_CACHE: "off" } }),
      },
    ])) as [Measurement, Measurement, Measurement];
    const rows: Measurement[] = [baseline];
    const limit = await compileNetlinkLimit(work);
    if (limit) rows.push(await netlinkLimit(limit, prefix, options.runs));
    else console.log("  (../shared/bench/netlink-limit.c not found: no physical-limit row)");
    agent.peakRssMb = await peakRssMb(["node", agentBin, "snapshot", "--json"]);
    rows.push(agent, uncached);
    const info = (await snapshotNode({ nft: "none" })).info;
    const inProcess = await timeMedian("snapshotNode() in a warm process (library)", options.runs, () => snapshotNode({ info }));
    rows.push(inProcess);
    const reader = (await snapshotNode({ info })).reader;
    console.log(formatRatios(`\nsnapshot of a node with ${options.pods} pod namespaces (reader: ${reader})`, rows));
    const ratio = agent.ms / baseline.ms;
    const ok = ratio <= TARGET_RATIO && (agent.peakRssMb ?? 0) < TARGET_RSS_MB;
    console.log(`\n  agent / baseline = ${ratio.toFixed(3)}x (target <= ${TARGET_RATIO}x); agent peak RSS ${agent.peakRssMb?.toFixed(1)} MB (target < ${TARGET_RSS_MB} MB): ${ok ? "MET" : "NOT MET"}`);
    return ok;
  } finally {
    await destroyPodNode(node);
    await rm(work, { recursive: true, force: true });
  }
}
