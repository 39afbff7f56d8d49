import { joinedContainerId, LinkIndex, netnsLabel, podKey, type Link, type NodeSnapshot } from "@netatlas/core";

export type TopologyKind = "host" | "netns" | "pod" | "container" | "bridge" | "vxlan";

export interface TopologyElement {
  id: string;
  node: string;
  kind: TopologyKind;
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

/**
 * The fleet as a graph: one element per namespace (a pod's or a container's
 * namespace is shown as that pod or container), bridges and VXLAN devices as
 * their own elements, veth pairs and bridge ports as edges, and VXLAN tunnels
 * joined across nodes through FDB entries whose underlay address belongs to another node.
 */
export function topologyGraph(nodes: readonly { name: string; snapshot: NodeSnapshot }[]): TopologyGraph {
  const elements: TopologyElement[] = [];
  const edges: TopologyEdge[] = [];
  const underlay = new Map<string, string>();
  for (const { name, snapshot } of nodes) for (const a of snapshot.addresses) if (a.scope === "global") underlay.set(a.address, name);
  const vxlanByNode = new Map<string, string[]>();

  for (const { name, snapshot } of nodes) {
    const index = new LinkIndex(snapshot.links);
    const addrs = (netns: number) => snapshot.addresses.filter((a) => a.netns === netns && a.scope !== "host").map((a) => `${a.ifname} ${a.address}/${a.prefixLength}`);
    for (const ns of snapshot.namespaces) {
      const pod = snapshot.pods.find((p) => p.netns === ns.id);
      // The container that holds the namespace first; those that join it (`container:<id>`) after.
      const containers = snapshot.containers.filter((c) => c.netns === ns.id).sort((a, b) => Number(!!joinedContainerId(a)) - Number(!!joinedContainerId(b)));
      const kind: TopologyKind = ns.kind === "host" ? "host" : pod ? "pod" : containers.length ? "container" : "netns";
      const label = ns.kind === "host" ? `${name} (host)` : pod ? `pod ${podKey(pod)}` : containers[0] ? `container ${containers[0].name}` : netnsLabel(ns);
      const lines = [...(pod ? pod.containers.map((c) => `▸ ${c.name}`) : containers.slice(1).map((c) => `▸ ${c.name}`)), ...(pod && !pod.sandbox.alive ? ["sandbox holder dead"] : []), ...addrs(ns.id).slice(0, 3)];
      elements.push({
        id: kind === "pod" && pod ? `${name}/pod/${podKey(pod)}` : nsId(name, ns.id),
        node: name,
        kind,
        label,
        lines,
        details: { node: name, namespace: netnsLabel(ns), inode: String(ns.id), kind: ns.kind, processes: ns.processes.map((p) => `${p.comm}(${p.pid})`).join(" "), addresses: addrs(ns.id).join(", "), ...(pod ? { pod: podKey(pod), ips: pod.ips.join(", "), sandbox: pod.sandbox.alive ? "alive" : "dead" } : {}) },
        search: `${label} ${lines.join(" ")} ${name}`.toLowerCase(),
      });
    }
    const elementOf = (netns: number) => {
      const pod = snapshot.pods.find((p) => p.netns === netns);
      return pod ? `${name}/pod/${podKey(pod)}` : nsId(name, netns);
    };
    for (const l of snapshot.links) {
      if (l.kind === "bridge" || l.kind === "vxlan") {
        const id = linkId(name, l);
        const lines = snapshot.addresses.filter((a) => a.netns === l.netns && a.ifindex === l.ifindex).map((a) => `${a.address}/${a.prefixLength}`);
        if (l.vxlan) lines.push(`VNI ${l.vxlan.vni}${l.vxlan.local ? ` from ${l.vxlan.local}` : ""}`);
        elements.push({ id, node: name, kind: l.kind, label: `${l.kind} ${l.name}`, lines, details: { node: name, link: l.name, state: l.state, mtu: String(l.mtu), mac: l.mac ?? "" }, search: `${l.name} ${lines.join(" ")} ${name}`.toLowerCase() });
        edges.push({ id: `${id}/in`, source: elementOf(l.netns), target: id, kind: "port", label: "" });
        if (l.kind === "vxlan") vxlanByNode.set(name, [...(vxlanByNode.get(name) ?? []), id]);
      }
    }
    for (const l of snapshot.links) {
      if (l.kind !== "veth") continue;
      const peer = index.peerOf(l);
      if (!peer) continue;
      // Each pair once: from the end whose key sorts first.
      if (`${l.netns}/${l.ifindex}` > `${peer.netns}/${peer.ifindex}`) continue;
      const end = (x: Link) => {
        const master = index.masterOf(x);
        return master && (master.kind === "bridge" || master.kind === "vxlan") ? linkId(name, master) : elementOf(x.netns);
      };
      const [a, b] = [end(l), end(peer)];
      if (a !== b) edges.push({ id: `${linkId(name, l)}/veth`, source: a, target: b, kind: "veth", label: `${l.name} ↔ ${peer.name}` });
    }
  }
  const tunnels = new Set<string>();
  for (const { name, snapshot } of nodes) {
    const index = new LinkIndex(snapshot.links);
    for (const f of snapshot.fdb) {
      const remote = f.dst ? underlay.get(f.dst) : undefined;
      const dev = index.named(f.netns, f.dev);
      if (!remote || remote === name || dev?.kind !== "vxlan") continue;
      const target = vxlanByNode.get(remote)?.[0];
      const key = [name, remote].sort().join("|");
      if (!target || tunnels.has(key)) continue;
      tunnels.add(key);
      edges.push({ id: `vxlan/${key}`, source: linkId(name, dev), target, kind: "vxlan", label: `VXLAN to ${f.dst}` });
    }
  }
  return { elements, edges };
}
