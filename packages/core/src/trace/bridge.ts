import type { Link } from "../model/link.js";
import { cidrContains } from "../net/cidr.js";
import { ipLayer, passHook, passHooks, type HookPlace } from "./filter-step.js";
import { refusedOnArrival } from "./mtu.js";
import type { NodeIndex } from "./node-index.js";
import { fdbRule, routeRule } from "./rule-text.js";
import { crossVeth } from "./veth.js";
import { downReason, isUp, type Packet, type Position, type Walk } from "./walk.js";

/** The bridge port behind which `ip` lives: a veth whose peer has that address. ARP finds it; the FDB then remembers it. */
function portToward(node: NodeIndex, bridge: Link, ingress: Link | undefined, ip: string): { port: Link; peer: Link } | undefined {
  for (const port of node.portsOf(bridge)) {
    if (port === ingress || port.kind !== "veth") continue;
    const peer = node.links.peerOf(port);
    if (peer && node.localAddress(peer.netns, ip)?.ifname === peer.name) return { port, peer };
  }
  return undefined;
}

/** Other routes of the namespace that carve pieces out of the chosen route's prefix: an overlap such as docker0's /16 over the pod subnets. */
function overlapNote(walk: Walk, bridge: Link): string {
  const last = walk.lastRoute;
  if (!last || last.match.route.dev !== bridge.name || last.match.route.dst.endsWith("/0")) return "";
  const inside = last.node.snapshot.routes.filter((r) => r.netns === last.netns && r.table === "main" && r.dev !== bridge.name && r.dst !== last.match.route.dst && cidrContains(last.match.route.dst, r.dst));
  return inside.length ? `; ${bridge.name}'s ${last.match.route.dst} overlaps ${inside.map(routeRule).join(", ")}, so addresses of that range outside those routes land on ${bridge.name}` : "";
}

/**
 * The hooks a bridged frame meets on its way from port to port (or, sent by the bridge
 * device itself, out to a port): the bridge family's, and with br_netfilter
 * (bridge-nf-call-iptables = 1) the IP hooks too, which see the bridge as both
 * interfaces. That is why Docker's `-i docker0 -o docker0` rules decide traffic between
 * containers of one network, and why Kubernetes requires the setting.
 */
function passBridged(walk: Walk, at: HookPlace, bridge: Link, ingress: Link | undefined, port: Link, packet: Packet): boolean {
  if (!ingress) return passHooks(walk, at, "bridge", packet, [["output", { oif: port.name }], ["postrouting", { oif: port.name }]]);
  const layer = ipLayer(packet);
  const ns = at.node.netns(at.netns);
  const viaIp = layer === "ip" ? ns?.bridgeNfCallIptables : ns?.bridgeNfCallIp6tables;
  return (
    (!viaIp || passHook(walk, at, "prerouting", layer, packet, { iif: bridge.name })) &&
    passHook(walk, at, "forward", "bridge", packet, { iif: ingress.name, oif: port.name }) &&
    (!viaIp || passHooks(walk, at, layer, packet, [["forward", { iif: bridge.name, oif: bridge.name }], ["postrouting", { oif: bridge.name }]])) &&
    passHook(walk, at, "postrouting", "bridge", packet, { oif: port.name })
  );
}

/**
 * A bridge forwards the frame to the port the destination MAC was learned on,
 * or up to its own namespace when the next hop is the bridge's own address.
 */
export function bridgeForward(walk: Walk, node: NodeIndex, bridge: Link, ingress: Link | undefined, nextHop: string, packet: Packet): Position | undefined {
  const at = { node, netns: bridge.netns };
  if (!isUp(bridge)) return walk.end("interface-down", `${node.name}: bridge ${bridge.name} ${downReason(bridge)}`);
  if (ingress && !passHook(walk, at, "prerouting", "bridge", packet, { iif: ingress.name })) return undefined;
  const own = node.localAddress(bridge.netns, nextHop);
  if (own) {
    const entry = bridge.mac ? node.fdb(bridge.netns, bridge.name, bridge.mac) : undefined;
    walk.hop(at, "bridge", [ingress?.name, bridge.name], entry ? fdbRule(entry) : `${bridge.mac ?? "(no MAC)"} dev ${bridge.name} (the bridge's own MAC)`, `${nextHop} is ${own.ifname}'s own address: the frame goes up to ${node.netnsLabel(bridge.netns)}`, packet);
    if (ingress && !passHook(walk, at, "input", "bridge", packet, { iif: ingress.name })) return undefined;
    return { node, netns: bridge.netns, iif: bridge, packet };
  }
  const target = portToward(node, bridge, ingress, nextHop);
  if (!target) {
    walk.hop(at, "bridge", [ingress?.name, bridge.name], `(no port of ${bridge.name} leads to ${nextHop})`, `ARP for ${nextHop} on ${bridge.name} goes unanswered`, packet);
    return walk.end("unknown-destination", `nothing on ${node.name}'s bridge ${bridge.name} has ${nextHop}: ARP goes unanswered and the packet is dropped${overlapNote(walk, bridge)}`);
  }
  const { port, peer } = target;
  const entry = peer.mac ? node.fdb(bridge.netns, port.name, peer.mac) : undefined;
  const rule = entry ? fdbRule(entry) : `(no FDB entry for ${peer.mac ?? "the MAC"} yet: ${bridge.name} floods the frame to every port)`;
  walk.hop(at, "bridge", [ingress?.name, bridge.name, port.name], rule, `${nextHop} (${peer.mac ?? "?"}) is behind port ${port.name}`, packet);
  if (!isUp(port)) {
    const cause = isUp(peer) ? "" : `: its peer ${peer.name} in ${node.netnsLabel(peer.netns)} ${downReason(peer)}`;
    return walk.end("interface-down", `${node.name}: bridge port ${port.name} ${downReason(port)}${cause}`);
  }
  // The bridge hands the frame to the port only if the port would take it (is_skb_forwardable): the same bound as on arrival.
  const refused = refusedOnArrival(port, packet);
  if (refused) return walk.end("mtu-too-small", `${node.name}'s bridge ${bridge.name} forwards to ${port.name}: ${refused}`);
  if (!passBridged(walk, at, bridge, ingress, port, packet)) return undefined;
  return crossVeth(walk, node, port, nextHop, packet);
}
