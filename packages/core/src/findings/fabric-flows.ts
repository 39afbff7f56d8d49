import { evaluateHook, type HookDecision } from "../filter/evaluate.js";
import type { FilterPacket } from "../filter/packet.js";
import { FilterTables } from "../filter/tables.js";
import type { Link } from "../model/link.js";
import { cidrContainsIp, cidrSize, nthAddress, parseCidr } from "../net/cidr.js";
import { NamespaceRoutes } from "../trace/route-table.js";
import { LINUX_DEFAULT_VXLAN_PORT } from "../trace/vxlan-encap.js";
import type { SnapshotView } from "./context.js";

/**
 * Traffic a node's container networks need, as the filter hooks would see a new
 * connection of it: out of a container bridge, into a pod bridge from the fabric's
 * routes, and the VXLAN port on the underlay. Each flow carries the filter's decision.
 */
export interface FabricFlow {
  netns: number;
  kind: "bridge-out" | "bridge-in" | "vxlan";
  /** The bridge (or VXLAN device) the flow is for, and its subnet. */
  device: string;
  subnet?: string;
  /** Whether the bridge is a Docker network's (dockerd drops new connections into those by design). */
  docker: boolean;
  hook: "forward" | "input";
  packet: FilterPacket;
  /** The flow in words: "new connections from cni0 (10.244.1.0/24) out through eth0". */
  what: string;
  decision: HookDecision;
}

/** "Somewhere outside" for a flow that leaves the node: TEST-NET-1, routed as the namespace routes anything it has no specific route for. */
const OUTSIDE = "192.0.2.10";

/** A host address of `cidr` that is not `taken`: what a container behind the bridge would have. */
export function sampleAddress(cidr: string, taken: string): string | undefined {
  const parsed = parseCidr(cidr);
  if (cidrSize(parsed) < 4n) return undefined;
  const first = nthAddress(parsed, 2n).toString();
  return first === taken ? nthAddress(parsed, 3n).toString() : first;
}

const newFlow = (p: Pick<FilterPacket, "src" | "dst" | "protocol" | "dport" | "iif" | "oif">): FilterPacket => ({ sport: "ephemeral", ...p, ct: { state: "new", direction: "original" }, mark: 0 });

interface Bridge {
  link: Link;
  subnet: string;
  gateway: string;
  docker: boolean;
}

/** Bridges with ports and an IPv4 gateway address: the ones containers or pods are routed through. */
function containerBridges(view: SnapshotView, netns: number): Bridge[] {
  const dockerBridges = new Set(view.snapshot.dockerNetworks.map((n) => n.bridge).filter((b): b is string => !!b));
  return view.snapshot.links.flatMap((link) => {
    if (link.netns !== netns || link.kind !== "bridge" || view.links.portsOf(link).length === 0) return [];
    const address = view.snapshot.addresses.find((a) => a.netns === netns && a.ifindex === link.ifindex && a.family === 4 && a.scope === "global");
    if (!address) return [];
    const subnet = `${parseCidr(`${address.address}/${address.prefixLength}`).network.toString()}/${address.prefixLength}`;
    return [{ link, subnet, gateway: address.address, docker: dockerBridges.has(link.name) || link.name === "docker0" }];
  });
}

function bridgeFlows(view: SnapshotView, netns: number, routes: NamespaceRoutes, bridge: Bridge): Omit<FabricFlow, "decision">[] {
  const inside = sampleAddress(bridge.subnet, bridge.gateway);
  if (!inside) return [];
  const base = { netns, device: bridge.link.name, subnet: bridge.subnet, docker: bridge.docker, hook: "forward" as const };
  const flows: Omit<FabricFlow, "decision">[] = [];
  const out = routes.lookup(OUTSIDE)?.route;
  if (out?.dev && out.type === "unicast" && out.dev !== bridge.link.name) {
    flows.push({ ...base, kind: "bridge-out", packet: newFlow({ src: inside, dst: OUTSIDE, protocol: "tcp", dport: 443, iif: bridge.link.name, oif: out.dev }), what: `new connections from ${bridge.link.name} (${bridge.subnet}) out through ${out.dev}` });
  }
  if (bridge.docker) return flows;
  // Pods are reached from the other nodes' pods: over every route the namespace has to elsewhere (the fabric's).
  const fabric = view.snapshot.routes.filter((r) => r.netns === netns && r.table === "main" && r.type === "unicast" && r.family === 4 && r.protocol !== "kernel" && !r.dst.endsWith("/0") && r.dev && r.dev !== bridge.link.name);
  for (const route of fabric) {
    const remote = sampleAddress(route.dst, "");
    if (!remote || cidrContainsIp(bridge.subnet, remote)) continue;
    flows.push({ ...base, kind: "bridge-in", packet: newFlow({ src: remote, dst: inside, protocol: "tcp", dport: 8080, iif: route.dev, oif: bridge.link.name }), what: `new connections from ${route.dst} (via ${route.dev}) into ${bridge.link.name} (${bridge.subnet})` });
  }
  return flows;
}

/** The VXLAN device's UDP port, to its local address, from another VTEP on the underlay. */
function vxlanFlows(view: SnapshotView, netns: number): Omit<FabricFlow, "decision">[] {
  return view.snapshot.links.flatMap((link) => {
    const vx = link.netns === netns ? link.vxlan : undefined;
    if (!vx) return [];
    const lower = vx.device ?? view.snapshot.addresses.find((a) => a.netns === netns && a.address === vx.local)?.ifname;
    const local = vx.local ?? view.snapshot.addresses.find((a) => a.netns === netns && a.ifname === lower && a.family === 4)?.address;
    const peer = view.snapshot.fdb.find((e) => e.netns === netns && e.dev === link.name && e.dst)?.dst;
    if (!lower || !local || !peer) return [];
    const port = vx.port ?? LINUX_DEFAULT_VXLAN_PORT;
    return [{ netns, kind: "vxlan" as const, device: link.name, docker: false, hook: "input" as const, packet: newFlow({ src: peer, dst: local, protocol: "udp", dport: port, iif: lower }), what: `${link.name}'s VXLAN packets (UDP ${port}) from ${peer} on ${lower}` }];
  });
}

const cache = new WeakMap<SnapshotView, FabricFlow[]>();

/** The fabric's flows in every namespace whose filter rules were read, each with the filter's decision; computed once per view. */
export function fabricFlows(view: SnapshotView): FabricFlow[] {
  const known = cache.get(view);
  if (known) return known;
  const filter = view.snapshot.filter;
  const flows: FabricFlow[] = [];
  for (const ns of view.snapshot.namespaces) {
    const chains = filter?.chains.filter((c) => c.netns === ns.id) ?? [];
    if (!filter || chains.length === 0) continue;
    const tables = new FilterTables(chains, filter.rules.filter((r) => r.netns === ns.id));
    const routes = new NamespaceRoutes(view.snapshot.routes.filter((r) => r.netns === ns.id));
    // A namespace that does not forward has its own finding (ip-forward-off): its bridges' flows are not the filter's doing.
    const bridges = ns.ipForward === false ? [] : containerBridges(view, ns.id);
    const candidates = [...bridges.flatMap((b) => bridgeFlows(view, ns.id, routes, b)), ...vxlanFlows(view, ns.id)];
    for (const flow of candidates) flows.push({ ...flow, decision: evaluateHook(tables, tables.baseChains("ip", flow.hook), flow.packet) });
  }
  cache.set(view, flows);
  return flows;
}
