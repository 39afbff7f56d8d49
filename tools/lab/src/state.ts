import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

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

export const NodeState = z.object({
  name: z.string(),
  /** The `unshare` process that started the node (it waits for the node's init). */
  unsharePid: z.number().int(),
  /** The node's init (pause) as the host sees it: `nsenter -t PID` enters the node. */
  pid: z.number().int().optional(),
  underlayIp: z.string(),
  podCidr: z.string(),
  docker: z.boolean().default(false),
  agent: z.object({ pid: z.number().int(), socket: z.string(), log: z.string() }).optional(),
  pods: z.array(PodState).default([]),
});
export type NodeState = z.infer<typeof NodeState>;

export const LabState = z.object({
  prefix: z.string(),
  runDir: z.string(),
  backend: z.enum(["host-gw", "vxlan", "none"]),
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
