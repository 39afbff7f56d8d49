import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { NodeIntent } from "@netatlas/core";
import { createAgentClient } from "@netatlas/agent-api";
import { inNode } from "./enter.js";
import { descendantWithComm, isAlive, spawnDetached } from "./processes.js";

/** One read and one admin token for every agent of the lab, in the agent's token file format. */
export function writeTokenFile(file: string): { read: string; admin: string } {
  const tokens = { read: randomBytes(24).toString("hex"), admin: randomBytes(24).toString("hex") };
  writeFileSync(file, `read ${tokens.read}\nadmin ${tokens.admin}\n`, { mode: 0o600 });
  return tokens;
}

export function readTokens(file: string): { read: string; admin: string } {
  const text = readFileSync(file, "utf8");
  const get = (scope: string) => text.match(new RegExp(`^${scope} (\\S+)$`, "m"))?.[1] ?? "";
  return { read: get("read"), admin: get("admin") };
}

/** The agents' port on the underlay (the agent's default). */
export const AGENT_PORT = 7946;

export interface AgentLaunch {
  /** Also listen on this node's underlay address. */
  underlayIp?: string;
  nodeName: string;
  nodePid: number;
  agentBin: string;
  socket: string;
  tokenFile: string;
  log: string;
}

/**
 * Starts `netatlas-agent serve` inside the node, with its default paths (the
 * node's own /run/netns, /proc and CNI cache), answering on a unix socket in the
 * lab's run directory, which the host and the dashboard can reach. It ends
 * with the node: it lives in the node's PID namespace.
 */
export function startAgent(launch: AgentLaunch, env: NodeJS.ProcessEnv = process.env): number {
  // Its own state dir: the nodes share the host's filesystem, and each keeps its own intent and journal.
  const stateDir = join(dirname(launch.socket), "state");
  // The host reaches it on the socket; other nodes over the underlay, as a real fleet's dashboard would.
  const underlay = launch.underlayIp ? ["--listen", `${launch.underlayIp}:${AGENT_PORT}`] : [];
  const argv = [process.execPath, launch.agentBin, "serve", "--listen", `unix:${launch.socket}`, ...underlay, "--token-file", launch.tokenFile, "--node-name", launch.nodeName, "--state-dir", stateDir];
  return spawnDetached(inNode(launch.nodePid, argv), launch.log, env);
}

/** Waits until the agent answers `health` on its socket. */
export async function waitForAgent(agent: { socket: string; log: string; pid: number }, timeoutMs = 20_000): Promise<void> {
  const { socket, log: logFile } = agent;
  const client = createAgentClient({ url: `unix:${socket}`, timeoutMs: 1_000 });
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline && isAlive(agent.pid)) {
    try {
      await client.health.query();
      return;
    } catch (error) {
      last = error;
      await sleep(100);
    }
  }
  const tail = readFileSync(logFile, "utf8").trim().split("\n").slice(-3).join("\n");
  throw new Error(`the agent on ${socket} did not answer ${isAlive(agent.pid) ? `within ${timeoutMs} ms` : "(it exited)"} (${last instanceof Error ? last.message : String(last)}); its log ends:\n${tail}`);
}

/** The agent's own process (inside the node's PID namespace), from the nsenter that started it. */
export function agentProcess(launcherPid: number): Promise<number> {
  return descendantWithComm(launcherPid, "node", 2_000);
}

/** Ends a node's agent as a crash would (SIGKILL), for tests of what survives one. */
export async function killAgent(launcherPid: number): Promise<void> {
  process.kill(await agentProcess(launcherPid), "SIGKILL");
  const deadline = Date.now() + 5_000;
  while (isAlive(launcherPid) && Date.now() < deadline) await sleep(20);
}

/**
 * Gives a node's agent the intent the lab built its fabric to: the plan is
 * empty, and applying it makes the agent keep the intent, so it reports drift
 * from then on (and knows the fleet's pod CIDR for its probes).
 */
export async function handIntentToAgent(socket: string, adminToken: string, intent: NodeIntent): Promise<void> {
  const client = createAgentClient({ url: `unix:${socket}`, token: adminToken, timeoutMs: 20_000 });
  const plan = await client.plan.mutate({ intent });
  if (plan.ops.length) throw new Error(`the agent on ${socket} finds the lab's fabric differs from its intent: ${plan.ops.map((op) => op.op).join(", ")}`);
  await client.applyPlan.mutate({ planHash: plan.hash });
}
