import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createAgentClient, type AgentClient } from "@netatlas/agent-api";
import { agentBin, agentNodeFlags } from "./paths.js";

export interface ServingAgent {
  client: AgentClient;
  /** Its unix socket and read token, for requests without the tRPC client. */
  socket: string;
  token: string;
  /** The agent's process (nsenter execs it). */
  pid: number;
  stop(): Promise<void>;
}

/**
 * Waits until the agent has sent no event for `quietMs`: a node just built still
 * changes for a while (IPv6 autoconfiguration and neighbour discovery on every
 * new veth), and each change makes the agent read the node again.
 */
export async function waitUntilQuiet(agent: ServingAgent, quietMs = 2_000, timeoutMs = 60_000): Promise<number> {
  const start = performance.now();
  let last = start;
  let events = 0;
  const sub = agent.client.events.subscribe(undefined, {
    onData: () => {
      last = performance.now();
      events++;
    },
  });
  try {
    while (performance.now() - last < quietMs) {
      if (performance.now() - start > timeoutMs) throw new Error(`the benchmark node did not settle: the agent still sent events after ${timeoutMs} ms (${events} in all)`);
      await sleep(100);
    }
    return events;
  } finally {
    sub.unsubscribe();
  }
}

/** argv that runs `argv` in a named namespace's network only (nsenter execs it: no extra process, no mount changes). */
export const inNetns = (netns: string, argv: readonly string[]) => ["nsenter", `--net=/run/netns/${netns}`, "--", ...argv];

/**
 * `netatlas-agent serve` in the benchmark node's namespace, where its pods' veths
 * give their namespaces an nsid, so its rtnetlink subscription hears their changes;
 * served on a unix socket in `work`. The age bound is pushed out of the way (a warm
 * request is answered from the live state), and so is the periodic resync unless
 * `resyncMs` is given: events must come from the notifications. `nodeOptions` go to
 * Node itself (e.g. --cpu-prof).
 */
export async function startServingAgent(netns: string, work: string, options: { resyncMs?: number; nodeOptions?: string[]; timeoutMs?: number } = {}): Promise<ServingAgent> {
  const { resyncMs = 600_000, nodeOptions = [], timeoutMs = 30_000 } = options;
  const token = randomBytes(24).toString("hex");
  const tokenFile = join(work, "tokens");
  await writeFile(tokenFile, `read ${token}\n`, { mode: 0o600 });
  const socket = join(work, "agent.sock");
  const url = `unix:${socket}`;
  const argv = inNetns(netns, [process.execPath, ...agentNodeFlags(), ...nodeOptions, agentBin, "serve", "--listen", url, "--token-file", tokenFile, "--node-name", "bench", "--state-dir", join(work, "state"), "--resync-ms", String(resyncMs), "--max-age-ms", "600000"]);
  const child: ChildProcess = spawn(argv[0] as string, argv.slice(1), { stdio: ["ignore", "ignore", "pipe"], shell: false });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    child.kill("SIGTERM");
    // It gives open requests 2 s to end, then exits (and writes a CPU profile if asked to).
    for (let i = 0; i < 200 && child.exitCode === null; i++) await sleep(20);
    if (child.exitCode === null) child.kill("SIGKILL");
  };
  const client = createAgentClient({ url, token, timeoutMs: 30_000 });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await client.health.query();
      return { client, socket, token, pid: child.pid as number, stop };
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await stop();
        throw new Error(`netatlas-agent serve in ${netns} did not answer on ${url} (${child.exitCode !== null ? `it exited with ${child.exitCode}` : `${timeoutMs} ms`}): ${(error as Error).message}; stderr: ${stderr.trim()}`);
      }
      await sleep(100);
    }
  }
}
