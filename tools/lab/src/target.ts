import type { LabState, NodeState, PodState } from "./state.js";

/** `NODE` or `NODE/POD`, resolved against the lab's state, with a clear error naming what exists. */
export function resolveTarget(state: LabState, target: string): { node: NodeState & { pid: number }; pod?: PodState } {
  const [nodeName, podName, extra] = target.split("/");
  if (!nodeName || extra !== undefined) throw new Error(`target "${target}": expected NODE or NODE/POD`);
  const node = state.nodes.find((n) => n.name === nodeName);
  if (!node) throw new Error(`target "${target}": no node "${nodeName}" (nodes: ${state.nodes.map((n) => n.name).join(", ") || "none"})`);
  if (node.pid === undefined) throw new Error(`target "${target}": node ${nodeName} did not start`);
  const withPid = node as NodeState & { pid: number };
  if (podName === undefined) return { node: withPid };
  const pod = node.pods.find((p) => p.name === podName);
  if (!pod) throw new Error(`target "${target}": no pod "${podName}" on ${nodeName} (pods: ${node.pods.map((p) => p.name).join(", ") || "none"})`);
  return { node: withPid, pod };
}
