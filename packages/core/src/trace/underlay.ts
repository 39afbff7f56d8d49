import type { Link } from "../model/link.js";
import { ipLayer, passHook } from "./filter-step.js";
import { refusedOnArrival } from "./mtu.js";
import { routeRule } from "./rule-text.js";
import { downReason, isUp, type Packet, type Position, type Walk } from "./walk.js";

/** "10.244.1.0/24 (node2's pods)": the prefix the owning node delivers `ip` by, named for a person. */
function describeOwner(walk: Walk, ip: string): string | undefined {
  const owner = walk.fleet.ownersOf(ip)[0];
  if (!owner) return undefined;
  const host = owner.node.host?.id;
  if (owner.address.netns === host) return `${ip} (${owner.node.name}'s ${owner.address.ifname})`;
  const connected = host === undefined ? undefined : owner.node.routesOf(host).lookup(ip)?.route;
  const who = owner.node.podIn(owner.address.netns) ? `${owner.node.name}'s pods` : `a namespace on ${owner.node.name}`;
  return connected && !connected.via && !connected.dst.endsWith("/0") ? `${connected.dst} (${who})` : `${ip} (${who})`;
}

/**
 * Out of the node's uplink onto the underlay network: the next hop is whichever
 * node of the fleet has that address on its host namespace. A next hop no node
 * has is a router outside the fleet, where the trace has to stop.
 */
export function underlayOut(walk: Walk, at: Position, out: Link, nextHop: string, packet: Packet): Position | undefined {
  const { node } = at;
  const owner = walk.fleet.nodeWithHostAddress(nextHop);
  const final = packet.inner?.dst ?? packet.dst;
  if (!owner || owner.node === node) {
    walk.hop(at, "underlay", [out.name], `${nextHop} is no node's address`, `the packet leaves ${node.name} through ${out.name} towards ${nextHop}`, packet);
    const target = describeOwner(walk, final);
    const last = walk.lastRoute?.match;
    const by = last ? (last.route.dst.endsWith("/0") ? `the ${last.table} table's default route (${routeRule(last.route)})` : `the route ${routeRule(last.route)}`) : `${out.name}`;
    if (target) return walk.end("no-route", `${node.name} has no route to ${target}: ${by} sends it to ${nextHop}, which is outside the fleet`);
    return walk.end("left-fleet", `the packet for ${final} leaves the fleet at ${node.name} through ${out.name} towards ${nextHop}; netatlas cannot see beyond it`);
  }
  const arrival = owner.node.links.get({ netns: owner.address.netns, ifindex: owner.address.ifindex });
  walk.hop(at, "underlay", [out.name], `${nextHop} is ${owner.node.name}'s ${owner.address.ifname} (${owner.address.address}/${owner.address.prefixLength})`, `over the underlay from ${node.name}'s ${out.name} to ${owner.node.name}`, packet);
  if (arrival && !isUp(arrival)) return walk.end("interface-down", `${owner.node.name}'s ${arrival.name} ${downReason(arrival)}: the packet from ${node.name} never arrives`);
  const refused = arrival && refusedOnArrival(arrival, packet);
  if (refused) return walk.end("mtu-too-small", `${owner.node.name}: from ${node.name} over the underlay, ${refused}${packet.inner ? ` (the encapsulated packet for ${packet.inner.dst})` : ""}`);
  if (arrival && !passHook(walk, { node: owner.node, netns: owner.address.netns }, "ingress", ipLayer(packet), packet, { iif: arrival.name })) return undefined;
  return { node: owner.node, netns: owner.address.netns, iif: arrival, packet };
}
