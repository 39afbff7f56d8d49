import { NETATLAS_VXLAN_DEVICE } from "@netatlas/core";
import { run } from "@netatlas/linux";
import { inNodeNet } from "./enter.js";
import { FLANNEL, vtepOf } from "./flannel.js";
import { readRoutes, routeArgv, type RouteEntry } from "./node-kernel.js";
import type { LabState, NodeState } from "./state.js";
import { randomVtepMac, recreateVxlanDevice } from "./vxlan-device.js";

/**
 * Faults in the pod fabric between nodes, on any fabric the lab wires: they
 * change only the target node's kernel, as a restarted daemon, a half-applied
 * change or a forgotten node would.
 */

type Node = NodeState & { pid: number };

/** A subnet of the pod CIDR that no node of the lab owns (nodes take the first /24s), and the underlay address of the node that had it. */
const DEPARTED_NODE = { subnet: "10.244.250.0/24", underlayIp: "192.168.50.250" } as const;

const fabricText = (state: LabState) => `lab ${state.prefix} runs --fabric ${state.fabric}${state.fabric === "netatlas" ? ` --backend ${state.backend}` : ""}`;

/** The fabric's VXLAN device, or a clear refusal for `kind` on a fabric without one. */
function vxlanDeviceOf(state: LabState, kind: string): string {
  if (state.fabric === "flannel") return FLANNEL.device;
  if (state.fabric === "netatlas" && state.backend === "vxlan") return NETATLAS_VXLAN_DEVICE;
  throw new Error(`${kind} needs a VXLAN fabric (--fabric flannel, or --fabric netatlas --backend vxlan); ${fabricText(state)}, which has no VXLAN device, MAC or VNI between nodes`);
}

function peersOf(state: LabState, node: Node, kind: string, needed: number): NodeState[] {
  if (state.backend === "none") throw new Error(`${kind} needs a pod fabric between nodes; ${fabricText(state)}, which has none`);
  const peers = state.nodes.filter((n) => n.name !== node.name);
  if (peers.length < needed) throw new Error(`${kind} needs at least ${needed + 1} nodes (the target and ${needed === 1 ? "a peer" : `${needed} peers`}); lab ${state.prefix} has ${state.nodes.length}`);
  return peers;
}

/** The node's route to `peer`'s pods: the template every fabric fault starts from. */
async function routeTo(node: Node, peer: NodeState, kind: string): Promise<RouteEntry> {
  const route = (await readRoutes(node.pid)).find((r) => r.dst === peer.podCidr);
  if (!route) throw new Error(`${kind}: ${node.name} has no route to ${peer.podCidr} (${peer.name}'s pods); was it deleted (delete-route)?`);
  return route;
}

const routeText = (r: RouteEntry) => `${r.dst}${r.gateway ? ` via ${r.gateway}` : ""} dev ${r.dev}${r.flags.includes("onlink") ? " onlink" : ""} proto ${r.protocol}`;

/** The target's VXLAN device gets a new MAC; its peers keep sending to the old one, which the new device does not take. */
export async function staleFdb(state: LabState, node: Node): Promise<string> {
  const dev = vxlanDeviceOf(state, "stale-fdb");
  peersOf(state, node, "stale-fdb", 1);
  const result = await recreateVxlanDevice(node, dev, ({ vni }) => ({ vni, mac: randomVtepMac() }));
  return `${node.name}: re-created ${dev} with a new MAC ${result.after.mac} (was ${result.before.mac}), and put back its ${describeRestored(result.restored)}, as its daemon would after a restart; the other nodes' neighbour and FDB entries still name ${result.before.mac}, so their pods and ${node.name}'s no longer reach each other`;
}

/** The target's VXLAN device carries another VNI than its peers': each side drops what the other sends. */
export async function wrongVni(state: LabState, node: Node): Promise<string> {
  const dev = vxlanDeviceOf(state, "wrong-vni");
  peersOf(state, node, "wrong-vni", 1);
  const result = await recreateVxlanDevice(node, dev, ({ vni, mac }) => ({ vni: vni + 1, mac }));
  return `${node.name}: re-created ${dev} with VNI ${result.after.vni} (the other nodes use ${result.before.vni}), same MAC ${result.after.mac}, and put back its ${describeRestored(result.restored)}; VXLAN traffic between ${node.name} and the other nodes is dropped by the receiver`;
}

const describeRestored = (r: { addresses: string[]; routes: number; neighbors: number; fdb: number }) =>
  `address ${r.addresses.join(", ") || "(none)"}, ${r.routes} routes, ${r.neighbors} neighbours and ${r.fdb} FDB entries`;

/**
 * A route, shaped like the node's fabric routes, to a subnet no node owns: what
 * a node that left the fleet leaves behind when nobody removes its route.
 * Breaks nothing between the lab's pods.
 */
export async function staleRoute(state: LabState, node: Node): Promise<string> {
  const [peer] = peersOf(state, node, "stale-route", 1);
  const template = await routeTo(node, peer as NodeState, "stale-route");
  if (state.nodes.some((n) => n.podCidr === DEPARTED_NODE.subnet)) throw new Error(`stale-route: ${DEPARTED_NODE.subnet} belongs to a node of the lab; the lab has too many nodes for this fault`);
  // A VXLAN fabric routes a subnet via its VTEP (the subnet's .0); host-gw via the owner's underlay address.
  const viaVtep = template.gateway === vtepOf(template.dst);
  const stale: RouteEntry = { ...template, dst: DEPARTED_NODE.subnet, gateway: viaVtep ? vtepOf(DEPARTED_NODE.subnet) : DEPARTED_NODE.underlayIp };
  await run(inNodeNet(node.pid, routeArgv(stale)));
  return `${node.name}: added ${routeText(stale)}, to a subnet no node owns (a node that left, its route never removed); traffic between the lab's pods is unchanged`;
}

/**
 * The node's route to its first peer's pods now leads to its second peer, as
 * if the subnet had moved there: the route of the first peer's subnet takes
 * the gateway, device and flags of the second's. The second peer routes every
 * pod subnet itself and forwards what it gets to the owner, so the pods still
 * reach each other, by a detour one way (real probes and traceroute show it on
 * flannel and host-gw-manual alike): a wrong route that no probe catches.
 */
export async function movedSubnet(state: LabState, node: Node): Promise<string> {
  const [owner, other] = peersOf(state, node, "moved-subnet", 2) as [NodeState, NodeState];
  const right = await routeTo(node, owner, "moved-subnet");
  const wrong = await routeTo(node, other, "moved-subnet");
  const moved: RouteEntry = { ...right, gateway: wrong.gateway, dev: wrong.dev, flags: wrong.flags };
  await run(inNodeNet(node.pid, routeArgv(moved)));
  return `${node.name}: the route to ${owner.name}'s pods is now ${routeText(moved)}, ${other.name}'s gateway (was via ${right.gateway ?? "-"}), as if ${owner.podCidr} had moved to ${other.name}; ${other.name} forwards it to ${owner.name}, so pods of ${node.name} reach ${owner.name}'s by a detour through ${other.name}`;
}
