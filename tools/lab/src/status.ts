import { existsSync } from "node:fs";
import { isAlive } from "./processes.js";
import type { DockerState, LabState, NodeState } from "./state.js";

export interface LabStatus {
  prefix: string;
  fabric: LabState["fabric"];
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
    docker?: {
      pid: number;
      alive: boolean;
      /** The socket as the node (and its agent) sees it, and the same socket from the host, through the node's root. */
      socket: string;
      hostSocket: string;
      dataRoot: string;
      networks: DockerState["networks"];
      containers: DockerState["containers"];
    };
    pods: Array<{ name: string; ip?: string; netns: string; holderPid?: number; alive: boolean }>;
  }>;
}

function dockerStatus(n: NodeState): LabStatus["nodes"][number]["docker"] {
  const d = n.dockerd;
  if (!d) return undefined;
  const { pid, socket, dataRoot, networks, containers } = d;
  // /var/run is an absolute link to /run, which a walk through /proc/PID/root would resolve in the host's root.
  const hostSocket = `/proc/${n.pid ?? 0}/root${socket.replace(/^\/var\/run\//, "/run/")}`;
  return { pid, alive: isAlive(pid), socket, hostSocket, dataRoot, networks, containers };
}

/** What exists now: the recorded lab, with each process checked. */
export function labStatus(state: LabState): LabStatus {
  return {
    prefix: state.prefix,
    fabric: state.fabric,
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
      docker: dockerStatus(n),
      pods: n.pods.map((p) => ({ name: p.name, ip: p.ip, netns: p.netns, holderPid: p.holderPid, alive: p.holderPid !== undefined && isAlive(p.holderPid) })),
    })),
  };
}

export function formatStatus(status: LabStatus): string {
  const lines = [`lab ${status.prefix}: ${status.nodes.length} nodes, fabric ${status.fabric} (${status.backend}), pod CIDR ${status.podCidr}`];
  for (const n of status.nodes) {
    lines.push(`  ${n.name}  ${n.underlayIp}  pods ${n.podCidr}  ${n.alive ? "up" : "DOWN"}  agent ${n.agent ? `${n.agent.url}${n.agent.alive ? "" : " (not running)"}` : "none"}`);
    for (const p of n.pods) lines.push(`    ${p.name}  ${p.ip ?? "-"}  ${p.alive ? "" : "sandbox holder gone"}`.trimEnd());
    if (n.docker) {
      lines.push(`    docker: dockerd ${n.docker.alive ? `pid ${n.docker.pid}` : "NOT RUNNING"} on ${n.docker.socket} (from the host: ${n.docker.hostSocket}), data root ${n.docker.dataRoot}`);
      for (const net of n.docker.networks) lines.push(`      network ${net.name} ${net.subnet} bridge ${net.bridge} mtu ${net.mtu}`);
      for (const c of n.docker.containers) lines.push(`      container ${c.name} ${c.id.slice(0, 12)} --network ${c.network}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
