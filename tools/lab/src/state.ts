import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { LAB_BACKENDS, LAB_FABRICS } from "./fabric-kind.js";

export const PodState = z.object({
  name: z.string(),
  /** The pod's namespace name inside its node's /run/netns. */
  netns: z.string(),
  containerId: z.string(),
  ip: z.string().optional(),
  holderPid: z.number().int().optional(),
  containerPids: z.array(z.number().int()).default([]),
});
export type PodState = z.infer<typeof PodState>;

/** A container the lab ran on a Docker node, as `docker inspect` names it. */
export const DockerContainerState = z.object({
  name: z.string(),
  id: z.string(),
  /** bridge, a user-defined network's name, or container:<name> of the pod's pause container. */
  network: z.string(),
});
export type DockerContainerState = z.infer<typeof DockerContainerState>;

/** dockerd inside a node: its process, its socket as the node sees it, its data root on the host. */
export const DockerState = z.object({
  pid: z.number().int(),
  socket: z.string(),
  dataRoot: z.string(),
  log: z.string(),
  networks: z.array(z.object({ name: z.string(), subnet: z.string(), bridge: z.string(), mtu: z.number().int() })).default([]),
  containers: z.array(DockerContainerState).default([]),
});
export type DockerState = z.infer<typeof DockerState>;

export const NodeState = z.object({
  name: z.string(),
  /** The `unshare` process that started the node (it waits for the node's init). */
  unsharePid: z.number().int(),
  /** The node's init (pause) as the host sees it: `nsenter -t PID` enters the node. */
  pid: z.number().int().optional(),
  underlayIp: z.string(),
  podCidr: z.string(),
  docker: z.boolean().default(false),
  dockerd: DockerState.optional(),
  agent: z.object({ pid: z.number().int(), socket: z.string(), log: z.string() }).optional(),
  pods: z.array(PodState).default([]),
});
export type NodeState = z.infer<typeof NodeState>;

export const LabState = z.object({
  prefix: z.string(),
  runDir: z.string(),
  /** Who wired the pod fabric; state files from before brownfield fabrics are netatlas's. */
  fabric: z.enum(LAB_FABRICS).default("netatlas"),
  backend: z.enum(LAB_BACKENDS),
  podCidr: z.string(),
  underlay: z.object({ netns: z.string(), cidr: z.string(), gateway: z.string() }),
  tokenFile: z.string(),
  nodes: z.array(NodeState).default([]),
  /** Processes the faults started outside any node (e.g. the holder of a vanished veth peer). */
  extraPids: z.array(z.number().int()).default([]),
});
export type LabState = z.infer<typeof LabState>;

export const stateFile = (runDir: string) => join(runDir, "state.json");

/** Written after every step of `up`, atomically, so `down` after a crash knows what exists. */
export function saveState(state: LabState): void {
  mkdirSync(state.runDir, { recursive: true });
  const file = stateFile(state.runDir);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

export function loadState(runDir: string): LabState | undefined {
  let text: string;
  try {
    text = readFileSync(stateFile(runDir), "utf8");
  } catch {
    return undefined;
  }
  return LabState.parse(JSON.parse(text));
}
