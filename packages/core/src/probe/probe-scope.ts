import { addressCidr } from "../model/address.js";
import type { Route } from "../model/route.js";
import type { NodeSnapshot } from "../model/snapshot.js";
import { cidrContainsIp } from "../net/cidr.js";
import { NETATLAS_ROUTE_PROTOCOL } from "../fabric/owned.js";
import type { NodeIntent } from "../fabric/node-intent.js";

const TUNNELS = new Set(["vxlan", "ipip", "gre", "sit", "geneve"]);
const isDefault = (dst: string) => dst === "0.0.0.0/0" || dst === "::/0";

/**
 * The host namespace's routes to other parts of a fabric, whoever made them: a
 * specific unicast route through a tunnel or via a gateway (flannel's
 * `10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink`, a hand-made host-gw route,
 * netatlas's own). Never a default route: that one leads anywhere.
 */
function fabricRoutes(snapshot: NodeSnapshot, host: number | undefined): Route[] {
  const tunnels = new Set(snapshot.links.filter((l) => l.netns === host && TUNNELS.has(l.kind)).map((l) => l.name));
  return snapshot.routes.filter((r) => r.netns === host && r.type === "unicast" && !isDefault(r.dst) && (r.protocol === NETATLAS_ROUTE_PROTOCOL || r.via !== undefined || (r.dev !== undefined && tunnels.has(r.dev))));
}

/**
 * Where an agent may send a probe: only inside the fleet. That is the pod CIDR
 * and the peer nodes' underlay addresses of its kept intent, the networks its
 * fabric routes lead to (with or without an intent: a fabric someone else built
 * counts too) and their gateways, the networks of the bridges on its host
 * namespace (its own pods and containers), and any address present on the node.
 * Returns why a target is refused, or undefined.
 */
export function probeRefusal(target: string, snapshot: NodeSnapshot, intent: NodeIntent | undefined): string | undefined {
  if (intent?.podCidr && cidrContainsIp(intent.podCidr, target)) return undefined;
  // Peers are the pod fabric's next hops and, on a Docker host, the hosts its Docker routes lead to.
  const peers = new Set([...(intent?.routes.map((r) => r.via) ?? []), ...(intent?.fdb.map((f) => f.dst) ?? []), ...(intent?.docker?.routes.map((r) => r.via) ?? [])]);
  if (peers.has(target)) return undefined;
  if (snapshot.addresses.some((a) => a.address === target)) return undefined;
  const host = snapshot.namespaces.find((n) => n.kind === "host")?.id;
  if (fabricRoutes(snapshot, host).some((r) => cidrContainsIp(r.dst, target) || r.via === target)) return undefined;
  const bridges = new Set(snapshot.links.filter((l) => l.netns === host && l.kind === "bridge").map((l) => l.name));
  const bridgeNets = snapshot.addresses.filter((a) => a.netns === host && bridges.has(a.ifname) && a.family === 4).map(addressCidr);
  if (bridgeNets.some((net) => cidrContainsIp(net, target))) return undefined;
  return `${target} is outside the fleet this agent knows (${intent?.podCidr ? `pod CIDR ${intent.podCidr}, ` : ""}its fabric routes, its bridges' networks ${bridgeNets.join(", ") || "none"}, its peers and its own addresses); probes go nowhere else`;
}
