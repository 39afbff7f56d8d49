import { run } from "@netatlas/linux";
import { timeMedian, type Measurement } from "./measure.js";
import { agentBin } from "./paths.js";
import { inNetns, type ServingAgent } from "./serving-agent.js";

/**
 * A warm `snapshot` request to a running agent over HTTP (tRPC on its unix
 * socket: the live state it keeps, serialised, sent and parsed by the client),
 * against the baseline of the agent's own cold full read: a new
 * `netatlas-agent snapshot --json` process in the same namespace.
 */
export async function warmSnapshotRows(agent: ServingAgent, netns: string, runs: number): Promise<Measurement[]> {
  const cold = await timeMedian("netatlas-agent snapshot --json (cold: new process, full read)", runs, () => run(inNetns(netns, [process.execPath, agentBin, "snapshot", "--json"]), { timeoutMs: 60_000 }));
  const warm = await timeMedian("snapshot over HTTP from netatlas-agent serve (warm)", runs, () => agent.client.snapshot.query());
  return [cold, warm];
}
