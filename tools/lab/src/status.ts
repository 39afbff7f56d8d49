import { existsSync } from "node:fs";
import { isAlive } from "./processes.js";
import type { LabState } from "./state.js";

export interface LabStatus {
  prefix: string;
  backend: LabState["backend"];
  podCidr: string;
  tokenFile: string;
  nodes: Array<{
    name: string;
    underlayIp: string;
    podCidr: string;
    pid?: number;
    alive: boolean;
    agent?: { url: string; pid: number; alive: boolean };
    pods: Array<{ name: string; ip?: string; netns: string; holderPid?: number; alive: boolean }>;
  }>;
}

/** What exists now: the recorded lab, with each process checked. */
export function labStatus(state: LabState): LabStatus {
  return {
    prefix: state.prefix,
    backend: state.backend,
    podCidr: state.podCidr,
    tokenFile: state.tokenFile,
    nodes: state.nodes.map((n) => ({
      name: n.name,
      underlayIp: n.underlayIp,
      podCidr: n.podCidr,
      pid: n.pid,
      alive: n.pid !== undefined && isAlive(n.pid),
      agent: n.agent ? { url: `unix:${n.agent.socket}`, pid: n.agent.pid, alive: isAlive(n.agent.pid) && existsSync(n.agent.socket) } : undefined,
      pods: n.pods.map((p) => ({ name: p.name, ip: p.ip, netns: p.netns, holderPid: p.holderPid, alive: p.holderPid !== undefined && isAlive(p.holderPid) })),
    })),
  };
}

export function formatStatus(status: LabStatus): string {
  const lines = [`lab ${status.prefix}: ${status.nodes.length} nodes, backend ${status.backend}, pod CIDR ${status.podCidr}`];
  for (const n of status.nodes) {
    lines.push(`  ${n.name}  ${n.underlayIp}  pods ${n.podCidr}  ${n.alive ? "up" : "DOWN"}  agent ${n.agent ? `${n.agent.url}${n.agent.alive ? "" : " (not running)"}` : "none"}`);
    for (const p of n.pods) lines.push(`    ${p.name}  ${p.ip ?? "-"}  ${p.alive ? "" : "sandbox holder gone"}`.trimEnd());
  }
  return `${lines.join("\n")}\n`;
}
