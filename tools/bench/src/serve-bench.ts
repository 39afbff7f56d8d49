import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eventLatencyRows } from "./event-latency.js";
import { formatRatios } from "./measure.js";
import { createPodNode, destroyPodNode } from "./pod-node.js";
import { startServingAgent, waitUntilQuiet } from "./serving-agent.js";
import { warmSnapshotRows } from "./warm-snapshot.js";

/** Issue 16's targets: a route change reaches a subscriber within twice `ip monitor`'s time, and the agent answers a warm snapshot request within 2 ms. */
const EVENT_RATIO_TARGET = 2;
const WARM_REQUEST_TARGET_MS = 2;

/**
 * Issue 5's benchmarks of a running agent (`netatlas-agent serve`) on a node
 * with `pods` pod namespaces: a warm snapshot request against a cold full read,
 * and event latency against `ip monitor`, each baseline measured in the same run.
 */
export async function serveBenchmark(options: { pods: number; runs: number; changes: number }): Promise<void> {
  const prefix = `nabench${process.pid}`;
  const work = await mkdtemp(join(tmpdir(), "netatlas-bench-"));
  const started = performance.now();
  const node = await createPodNode(prefix, options.pods);
  console.log(`built ${options.pods + 1} namespaces (${options.pods} pods on a bridge) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  try {
    const agent = await startServingAgent(node.node, work);
    try {
      const settling = performance.now();
      const events = await waitUntilQuiet(agent);
      console.log(`the node settled (${events} events, then 2 s without one) in ${((performance.now() - settling) / 1000).toFixed(1)} s`);
      const snapshotRows = await warmSnapshotRows(agent, node.node, options.runs);
      console.log(formatRatios(`\nsnapshot of a node with ${options.pods} pod namespaces, ${options.runs} runs each, median`, snapshotRows));
      const eventRows = await eventLatencyRows(agent, node.pods[0] as string, options.changes);
      console.log(formatRatios(`\nevent latency: ip route add in a pod namespace -> the change seen`, eventRows));
      const ratio = (eventRows[1]?.ms ?? Infinity) / (eventRows[0]?.ms ?? 0);
      const agentPart = snapshotRows[2]?.ms ?? Infinity;
      console.log(`\ntargets: event within ${EVENT_RATIO_TARGET}x ip monitor: ${ratio.toFixed(2)}x ${ratio <= EVENT_RATIO_TARGET ? "met" : "MISSED"}; the agent's part of a warm request within ${WARM_REQUEST_TARGET_MS} ms: ${agentPart.toFixed(1)} ms ${agentPart <= WARM_REQUEST_TARGET_MS ? "met" : "MISSED"}`);
    } finally {
      await agent.stop();
    }
  } finally {
    await destroyPodNode(node);
    await rm(work, { recursive: true, force: true });
  }
}
