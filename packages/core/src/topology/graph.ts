import { joinedContainerId } from "../model/container.js";
import type { Link } from "../model/link.js";
import { netnsLabel, type Netns } from "../model/netns.js";
import { podKey } from "../model/pod.js";
import type { NodeSnapshot } from "../model/snapshot.js";
import { LinkIndex } from "./link-index.js";

export type TopologyKind = "host" | "netns" | "pod" | "container" | "bridge" | "vxlan";

export interface TopologyElement {
  id: string;
  node: string;
  kind: TopologyKind;
  /** The namespace (inode) it stands for, or a device's namespace. */
  netns: number;
  /** A bridge's or VXLAN device's interface name. */
  ifname?: string;
  label: string;
  /** Extra lines shown under the label (pod containers, addresses). */
  lines: string[];
  /** Shown in the details panel. */
  details: Record<string, string>;
  /** Text searched by the search box. */
  search: string;
}

export interface TopologyEdge {
  id: string;
  source: string;
  target: string;
  kind: "veth" | "port" | "vxlan";
  label: string;
}

export interface TopologyGraph {
  elements: TopologyElement[];
  edges: TopologyEdge[];
}

const nsId = (node: string, netns: number) => `${node}/ns/${netns}`;
const linkId = (node: string, l: Pick<Link, "netns" | "ifindex">) => `${node}/link/${l.netns}/${l.ifindex}`;
const isDevice = (l: Link) => l.kind === "bridge" || l.kind === "vxlan";

/** A node of the fleet to draw: its name and its latest snapshot. */
export interface TopologyNode {
  name: string;
  snapshot: NodeSnapshot;
}

function byNetns<T extends { netns?: number | null }>(items: readonly T[]): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const item of items) {
    if (item.netns == null) continue;
    const list = map.get(item.netns);
    if (list) list.push(item);
    else map.set(item.netns, [item]);
  }
  return map;
}

// A node of 5,000 pods asks "what lives in this namespace?" for every namespace and veth end: index once per snapshot.
const indexes = new WeakMap<NodeSnapshot, { pods: Map<number, NodeSnapshot["pods"]>; addresses: Map<number, NodeSnapshot["addresses"]>; containers: Map<number, NodeSnapshot["containers"]> }>();
function inNetns(snapshot: NodeSnapshot, netns: number) {
  let index = indexes.get(snapshot);
  if (!index) indexes.set(snapshot, (index = { pods: byNetns(snapshot.pods), addresses: byNetns(snapshot.addresses), containers: byNetns(snapshot.containers) }));
  return { pod: index.pods.get(netns)?.[0], addresses: index.addresses.get(netns) ?? [], containers: index.containers.get(netns) ?? [] };
}
const podIn = (snapshot: NodeSnapshot, netns: number) => inNetns(snapshot, netns).pod;

/** The element a namespace is drawn as: its pod when a pod holds it, else the namespace. */
function elementIdOf(node: TopologyNode, netns: number): string {
  const pod = podIn(node.snapshot, netns);
  return pod ? `${node.name}/pod/${podKey(pod)}` : nsId(node.name, netns);
}

function namespaceElement({ name, snapshot }: TopologyNode, ns: Netns): TopologyElement {
  const here = inNetns(snapshot, ns.id);
  const addrs = here.addresses.filter((a) => a.scope !== "host").map((a) => `${a.ifname} ${a.address}/${a.prefixLength}`);
  const pod = here.pod;
  // The container that holds the namespace first; those that join it (`container:<id>`) after.
  const containers = [...here.containers].sort((a, b) => Number(!!joinedContainerId(a)) - Number(!!joinedContainerId(b)));
  const kind: TopologyKind = ns.kind === "host" ? "host" : pod ? "pod" : containers.length ? "container" : "netns";
  const label = ns.kind === "host" ? `${name} (host)` : pod ? `pod ${podKey(pod)}` : containers[0] ? `container ${containers[0].name}` : netnsLabel(ns);
  const members = pod ? pod.containers.map((c) => c.name) : containers.slice(1).map((c) => c.name);
  const lines = [...members.map((m) => `▸ ${m}`), ...(pod && !pod.sandbox.alive ? ["sandbox holder dead"] : []), ...addrs.slice(0, 3)];
  const podDetails: Record<string, string> = pod ? { pod: podKey(pod), ips: pod.ips.join(", "), sandbox: pod.sandbox.alive ? "alive" : "dead" } : {};
  return {
    id: elementIdOf({ name, snapshot }, ns.id),
    node: name,
    kind,
    netns: ns.id,
    label,
    lines,
    details: { node: name, namespace: netnsLabel(ns), inode: String(ns.id), kind: ns.kind, processes: ns.processes.map((p) => `${p.comm}(${p.pid})`).join(" "), addresses: addrs.join(", "), ...podDetails },
    search: `${label} ${lines.join(" ")} ${name}`.toLowerCase(),
  };
}

/** A bridge or VXLAN device as its own element, tied to the namespace it lives in. */
function deviceElement({ name, snapshot }: TopologyNode, l: Link): { element: TopologyElement; edge: TopologyEdge } {
  const id = linkId(name, l);
  const lines = inNetns(snapshot, l.netns).addresses.filter((a) => a.ifindex === l.ifindex).map((a) => `${a.address}/${a.prefixLength}`);
  if (l.vxlan) lines.push(`VNI ${l.vxlan.vni}${l.vxlan.local ? ` from ${l.vxlan.local}` : ""}`);
  return {
    element: { id, node: name, kind: l.kind as TopologyKind, netns: l.netns, ifname: l.name, label: `${l.kind} ${l.name}`, lines, details: { node: name, link: l.name, state: l.state, mtu: String(l.mtu), mac: l.mac ?? "" }, search: `${l.name} ${lines.join(" ")} ${name}`.toLowerCase() },
    edge: { id: `${id}/in`, source: elementIdOf({ name, snapshot }, l.netns), target: id, kind: "port", label: "" },
  };
}

/** One edge per veth pair, between the bridges or namespaces its two ends hang on. */
function vethEdges(node: TopologyNode): TopologyEdge[] {
  const index = new LinkIndex(node.snapshot.links);
  const end = (x: Link) => {
    const master = index.masterOf(x);
    return master && isDevice(master) ? linkId(node.name, master) : elementIdOf(node, x.netns);
  };
  return node.snapshot.links.flatMap((l) => {
    const peer = l.kind === "veth" ? index.peerOf(l) : undefined;
    // Each pair once: from the end whose key sorts first.
    if (!peer || `${l.netns}/${l.ifindex}` > `${peer.netns}/${peer.ifindex}`) return [];
    const [a, b] = [end(l), end(peer)];
    return a === b ? [] : [{ id: `${linkId(node.name, l)}/veth`, source: a, target: b, kind: "veth" as const, label: `${l.name} ↔ ${peer.name}` }];
  });
}

/** One tunnel per pair of nodes whose VXLAN FDB sends to the other's underlay address. */
function vxlanTunnels(nodes: readonly TopologyNode[]): TopologyEdge[] {
  const underlay = new Map<string, string>();
  for (const { name, snapshot } of nodes) for (const a of snapshot.addresses) if (a.scope === "global") underlay.set(a.address, name);
  const vxlanOf = new Map(nodes.map(({ name, snapshot }) => [name, snapshot.links.find((l) => l.kind === "vxlan")]));
  const tunnels = new Map<string, TopologyEdge>();
  for (const { name, snapshot } of nodes) {
    const index = new LinkIndex(snapshot.links);
    for (const f of snapshot.fdb) {
      const remote = f.dst ? underlay.get(f.dst) : undefined;
      const dev = index.named(f.netns, f.dev);
      const far = remote ? vxlanOf.get(remote) : undefined;
      const key = [name, remote].sort().join("|");
      if (!remote || remote === name || dev?.kind !== "vxlan" || !far || tunnels.has(key)) continue;
      tunnels.set(key, { id: `vxlan/${key}`, source: linkId(name, dev), target: linkId(remote, far), kind: "vxlan", label: `VXLAN to ${f.dst}` });
    }
  }
  return [...tunnels.values()];
}

/**
 * The fleet as a graph: one element per namespace (a pod's or a container's
 * namespace is shown as that pod or container), bridges and VXLAN devices as
 * their own elements, veth pairs and bridge ports as edges, and VXLAN tunnels
 * joined across nodes through FDB entries whose underlay address belongs to another node.
 */
export function topologyGraph(nodes: readonly TopologyNode[]): TopologyGraph {
  const elements: TopologyElement[] = [];
  const edges: TopologyEdge[] = [];
  for (const node of nodes) {
    elements.push(...node.snapshot.namespaces.map((ns) => namespaceElement(node, ns)));
    for (const device of node.snapshot.links.filter(isDevice).map((l) => deviceElement(node, l))) {
      elements.push(device.element);
      edges.push(device.edge);
    }
    edges.push(...vethEdges(node));
  }
  edges.push(...vxlanTunnels(nodes));
  return { elements, edges };
}
