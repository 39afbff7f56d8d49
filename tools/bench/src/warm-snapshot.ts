import { Agent, get } from "node:http";
import { run } from "@netatlas/linux";
import { timeMedian, type Measurement } from "./measure.js";
import { agentBin } from "./paths.js";
import { inNetns, type ServingAgent } from "./serving-agent.js";

/**
 * A warm `snapshot` request to a running agent over HTTP (tRPC on its unix socket: the
 * live state it keeps, its JSON as made once for that state, sent and parsed by the
 * client), against the baseline of the agent's own cold full read: a new
 * `netatlas-agent snapshot --json` process in the same namespace. A last row is the
 * agent's part: the same request as a plain HTTP GET, its answer read but not parsed.
 */
export async function warmSnapshotRows(agent: ServingAgent, netns: string, runs: number): Promise<Measurement[]> {
  const cold = await timeMedian("netatlas-agent snapshot --json (cold: new process, full read)", runs, () => run(inNetns(netns, [process.execPath, agentBin, "snapshot", "--json"]), { timeoutMs: 60_000 }));
  const warm = await timeMedian("snapshot over HTTP from netatlas-agent serve (warm)", runs, () => agent.client.snapshot.query());
  // Kept alive, as the tRPC client's connection is.
  const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
  let bytes = 0;
  const plainGet = () =>
    new Promise<void>((resolve, reject) => {
      const request = get({ socketPath: agent.socket, path: "/trpc/snapshot?batch=1&input=%7B%7D", agent: keepAlive, headers: { authorization: `Bearer ${agent.token}` } }, (answer) => {
        bytes = 0;
        answer.on("data", (chunk: Buffer) => (bytes += chunk.length));
        answer.on("end", () => (answer.statusCode === 200 ? resolve() : reject(new Error(`the agent answered a snapshot GET with ${answer.statusCode}`))));
      });
      request.on("error", reject);
    });
  try {
    const plain = await timeMedian("  the agent's part: the same GET without the tRPC client, not parsed", runs, plainGet);
    return [cold, warm, { ...plain, label: `${plain.label} (${(bytes / 1024).toFixed(0)} KB)` }];
  } finally {
    keepAlive.destroy();
  }
}
