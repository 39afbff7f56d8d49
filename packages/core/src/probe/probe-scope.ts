import { addressCidr } from "../model/address.js";
import type { NodeSnapshot } from "../model/snapshot.js";
import { cidrContainsIp } from "../net/cidr.js";
import { NETATLAS_ROUTE_PROTOCOL } from "../fabric/owned.js";
import type { NodeIntent } from "../fabric/node-intent.js";

/**
 * Where an agent may send a probe: only inside the fleet. That is the pod CIDR
 * and the peer nodes' underlay addresses of its kept intent, the peer subnets
 * its netatlas routes lead to, the networks of the bridges on its host namespace
 * (its own pods and containers), and any address present on the node. Returns
 * why a target is refused, or undefined.
 */
export function probeRefusal(target: string, snapshot: NodeSnapshot, intent: NodeIntent | undefined): string | undefined {
  if (intent?.podCidr && cidrContainsIp(intent.podCidr, target)) return undefined;
  // Peers are the pod fabric's next hops and, on a Docker host, the hosts its Docker routes lead to.
  const peers = new Set([...(intent?.routes.map((r) => r.via) ?? []), ...(intent?.fdb.map((f) => f.dst) ?? []), ...(intent?.docker?.routes.map((r) => r.via) ?? [])]);
  if (peers.has(target)) return undefined;
  if (snapshot.addresses.some((a) => a.address === target)) return undefined;
  const host = snapshot.namespaces.find((n) => n.kind === "host")?.id;
  const fabric = snapshot.routes.filter((r) => r.netns === host && r.protocol === NETATLAS_ROUTE_PROTOCOL);
  if (fabric.some((r) => cidrContainsIp(r.dst, target) || r.via === target)) return undefined;
  const bridges = new Set(snapshot.links.filter((l) => l.netns === host && l.kind === "bridge").map((l) => l.name));
  const bridgeNets = snapshot.addresses.filter((a) => a.netns === host && bridges.has(a.ifname) && a.family === 4).map(addressCidr);
  if (bridgeNets.some((net) => cidrContainsIp(net, target))) return undefined;
  return `${target} is outside the fleet this agent knows (${intent?.podCidr ? `pod CIDR ${intent.podCidr}, ` : ""}its netatlas routes, its bridges' networks ${bridgeNets.join(", ") || "none"}, its peers and its own addresses); probes go nowhere else`;
}
