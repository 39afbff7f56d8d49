import { NodeSnapshot } from "@netatlas/core";
import { run } from "@netatlas/linux";
import { timeMedian, type Measurement } from "./measure.js";
import { agentBin } from "./paths.js";
import { inNetns, type ServingAgent } from "./serving-agent.js";

/**
 * A warm `snapshot` request to a running agent over HTTP (tRPC on its unix
 * socket: the live state it keeps, checked against the schema, serialised, sent
 * and parsed by the client), against the baseline of the agent's own cold full
 * read: a new `netatlas-agent snapshot --json` process in the same namespace.
 * A last row shows how much of the warm request the router's output check is.
 */
export async function warmSnapshotRows(agent: ServingAgent, netns: string, runs: number): Promise<Measurement[]> {
  const cold = await timeMedian("netatlas-agent snapshot --json (cold: new process, full read)", runs, () => run(inNetns(netns, [process.execPath, agentBin, "snapshot", "--json"]), { timeoutMs: 60_000 }));
  const warm = await timeMedian("snapshot over HTTP from netatlas-agent serve (warm)", runs, () => agent.client.snapshot.query());
  const snapshot = await agent.client.snapshot.query();
  const kb = (JSON.stringify(snapshot).length / 1024).toFixed(0);
  const check = await timeMedian(`  of which: NodeSnapshot.parse of the ${kb} KB answer (the router's .output check)`, runs, async () => NodeSnapshot.parse(snapshot));
  return [cold, warm, check];
}
