import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { kernelDifferences, type NodeSnapshot } from "@netatlas/core";
import { run } from "@netatlas/linux";
import { agentMetrics } from "./agent-metrics.js";
import { ChurnDriver, type ChurnCounts } from "./churn-driver.js";
import { churnMet, formatChurnReport, CHURN_TARGETS } from "./churn-report.js";
import { countLines } from "./line-count.js";
import { createPodNode, destroyPodNode, type PodNode } from "./pod-node.js";
import { processCpuMs, processRssMb } from "./process-usage.js";
import { startServingAgent, waitUntilQuiet, type ServingAgent } from "./serving-agent.js";

/** The agent's own defaults (`serve --resync-ms`, and `--facts-ms` 5 s): its periodic reads run through the churn as they would on a node. */
const AGENT_RESYNC_MS = 60_000;
const DRIFT = "netatlas_live_drift_entries_total";
const OVERFLOWS = "netatlas_notification_overflows_total";

/**
 * The live snapshot against a full read that starts after it (the agent's own, which also
 * counts drift), in the bench's own namespaces (named with `prefix`): the agent also sees
 * every namespace a process on the machine holds, and those come and go as they will.
 * Taken again, up to 3 times, when an event came in between (the kernel still changed: a
 * deleted namespace goes when its last reference does).
 */
async function liveAgainstRead(agent: ServingAgent, prefix: string): Promise<string[]> {
  let events = 0;
  const sub = agent.client.events.subscribe(undefined, { onData: () => events++ });
  try {
    for (let attempt = 0; ; attempt++) {
      await waitUntilQuiet(agent, 1_000);
      const before = events;
      const live = (await agent.client.snapshot.query()) as NodeSnapshot;
      const read = (await agent.client.snapshot.query({ maxAgeMs: 0 })) as NodeSnapshot;
      if (events === before || attempt >= 3) return kernelDifferences(live, read, (ns) => ns.names.some((name) => name.startsWith(`${prefix}-`)));
    }
  } finally {
    sub.unsubscribe();
  }
}

/** Every namespace of the churn's pool still there (the pod node's own are removed by destroyPodNode). */
async function removePool(node: PodNode): Promise<void> {
  const left = (await readdir("/run/netns")).filter((name) => name.startsWith(`${node.prefix}-c`));
  if (left.length > 0) await run(["ip", "-force", "-batch", "-"], { input: `${left.map((n) => `netns delete ${n}`).join("\n")}\n`, timeoutMs: 60_000 }).catch(() => undefined);
}

/** Until SIGINT or SIGTERM: the churn stops at once, and the finally blocks remove what the bench made. */
function interruptible(): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const stop = (name: string) => controller.abort(new Error(`interrupted by ${name}`));
  const onInt = () => stop("SIGINT");
  const onTerm = () => stop("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  return { signal: controller.signal, release: () => (process.off("SIGINT", onInt), process.off("SIGTERM", onTerm)) };
}

/**
 * Issue 16's churn bench: a node of `pods` pod namespaces served by a real agent, and
 * for `seconds` 1,000 route changes and 100 namespace changes a second (ChurnDriver).
 * The agent's CPU over the churn against `ip monitor all-nsid`'s over the same churn
 * (the baseline), its peak RSS, and at the end its live snapshot against a full read,
 * object by object. With `cpuProfileDir`, the agent writes a V8 CPU profile there.
 */
export async function churnBenchmark(options: { pods: number; seconds: number; cpuProfileDir?: string }): Promise<boolean> {
  const { signal, release } = interruptible();
  const prefix = `nachurn${process.pid}`;
  const work = await mkdtemp(join(tmpdir(), "netatlas-bench-"));
  let node: PodNode | undefined;
  try {
    const building = performance.now();
    node = await createPodNode(prefix, options.pods);
    console.log(`built ${options.pods + 1} namespaces (${options.pods} pods on a bridge) in ${((performance.now() - building) / 1000).toFixed(1)} s`);
    signal.throwIfAborted();
    const nodeOptions = options.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
    const agent = await startServingAgent(node.node, work, { resyncMs: AGENT_RESYNC_MS, nodeOptions });
    try {
      const settling = performance.now();
      const events = await waitUntilQuiet(agent);
      console.log(`the node settled (${events} events, then 2 s without one) in ${((performance.now() - settling) / 1000).toFixed(1)} s`);
      const monitor = countLines(["ip", "-n", node.node, "monitor", "all-nsid"], /\b10\.20[01]\.\d+\.\d+ dev /);
      const driver = new ChurnDriver(node, CHURN_TARGETS);
      let counts: ChurnCounts;
      let cpu: { agent: number; monitor: number };
      let monitorRouteLines: number;
      let rssBeforeMb: number;
      try {
        const monitorPid = monitor.pid;
        if (monitorPid === undefined) throw new Error("ip monitor all-nsid did not start; is iproute2 installed?");
        // ip monitor has no "listening" signal; give it a moment to bind before the churn.
        await sleep(300);
        console.log(`churning for ${options.seconds} s: ${CHURN_TARGETS.routesPerSecond} route and ${CHURN_TARGETS.namespacesPerSecond} namespace changes a second`);
        let before = { agent: 0, monitor: 0, lines: 0, rssMb: 0 };
        const window = await driver.run(options.seconds * 1000, signal, () => (before = { agent: processCpuMs(agent.pid), monitor: processCpuMs(monitorPid), lines: monitor.counts.matching, rssMb: processRssMb(agent.pid, "VmRSS") }));
        rssBeforeMb = before.rssMb;
        monitorRouteLines = monitor.counts.matching - before.lines;
        cpu = { agent: ((processCpuMs(agent.pid) - before.agent) * 100) / window.windowMs, monitor: ((processCpuMs(monitorPid) - before.monitor) * 100) / window.windowMs };
        signal.throwIfAborted();
        counts = await driver.finish(window);
      } finally {
        driver.kill();
        monitor.stop();
      }
      const peakRssMb = processRssMb(agent.pid, "VmHWM");
      const settled = performance.now();
      const differences = await liveAgainstRead(agent, prefix);
      console.log(`compared the live snapshot with a full read ${((performance.now() - settled) / 1000).toFixed(1)} s after the churn (once the agent had sent no event for 1 s)`);
      const metrics = await agentMetrics(agent.socket, [DRIFT, OVERFLOWS]);
      const result = {
        pods: options.pods,
        counts,
        agentCpuPercent: cpu.agent,
        monitorCpuPercent: cpu.monitor,
        monitorRouteLines,
        agentPeakRssMb: peakRssMb,
        agentRssBeforeMb: rssBeforeMb,
        differences,
        drift: metrics.get(DRIFT) ?? NaN,
        overflows: metrics.get(OVERFLOWS) ?? NaN,
      };
      console.log(`\n${formatChurnReport(result)}`);
      return churnMet(result);
    } finally {
      await agent.stop();
    }
  } finally {
    if (node) {
      await removePool(node);
      await destroyPodNode(node);
    }
    await rm(work, { recursive: true, force: true });
    release();
  }
}
