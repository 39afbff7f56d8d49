import type { Link } from "../../model/link.js";
import type { Route } from "../../model/route.js";
import { canonicalIp } from "../../trace/node-index.js";
import { routeRule } from "../../trace/rule-text.js";
import type { FabricContext, FabricNode } from "./fabric-context.js";
import type { OwnedSubnet } from "./owned-subnets.js";
import { fdbCommand, neighborCommand, on, vtepAddressOf } from "./repair-commands.js";
import { pairFinding, type Delivery } from "./delivery.js";
import { routeFix } from "./subnet-delivery.js";

/**
 * Into a VXLAN device without learning (flannel's, netatlas's): the route's
 * gateway is the owner's VTEP address, the neighbour entry for it must give the
 * owner's VTEP MAC, and the FDB entry for that MAC the owner's underlay address.
 * A VTEP that was re-created has a new MAC: entries that still name the old one
 * send frames the owner drops.
 */
export function vxlanDelivery(ctx: FabricContext, from: FabricNode, subnet: OwnedSubnet, route: Route, out: Link): Delivery {
  const base = { from: from.name, subnet, route, out, way: "vxlan" as const };
  const rule = () => routeRule(route);
  if (!route.via) {
    return { ...base, problems: [pairFinding(from, subnet, "fabric-nexthop-wrong", "error", out.name, `${from.name} routes ${subnet.label} into ${out.name} without a gateway (${rule()}): the device would need a neighbour entry for every pod address; route via ${subnet.node}'s VTEP address instead`, routeFix(ctx, from, subnet))] };
  }
  // Neighbour entries are keyed by the canonical address; the kernel prints IPv4 gateways that way already.
  const via = route.via.includes(":") ? canonicalIp(route.via) : route.via;
  const vtepOwner = ctx.vtepOwnerOf(via);
  if (vtepOwner !== subnet.node) {
    const problem = vtepOwner
      ? pairFinding(from, subnet, "fabric-route-wrong-node", "error", out.name, `${from.name} routes ${subnet.label} via ${via} (${rule()}), ${vtepOwner}'s VTEP: the subnet is ${subnet.node}'s now (a stale route of a subnet that moved)`, routeFix(ctx, from, subnet))
      : pairFinding(from, subnet, "fabric-nexthop-wrong", "error", out.name, `${from.name} routes ${subnet.label} via ${via} (${rule()}), which is no node's VTEP address`, routeFix(ctx, from, subnet));
    return { ...base, ...(vtepOwner ? { reaches: vtepOwner } : {}), problems: [problem] };
  }
  const to = ctx.nodes.get(subnet.node);
  if (!to?.vxlan?.mac) {
    return { ...base, reaches: subnet.node, problems: [pairFinding(from, subnet, "vxlan-device-missing", "error", out.name, `${from.name} sends ${subnet.label} through its VXLAN device ${out.name}, but ${subnet.node} has no VXLAN device to take the packets out of the tunnel`)] };
  }
  const problems = [];
  const mac = to.vxlan.mac;
  const underlay = to.vtepUnderlay;
  const neighborFix = () => on(from.name, neighborCommand(vtepAddressOf(to, subnet.cidr), mac, out.name));
  const neighbor = from.index.neighbor(from.host, out.name, via);
  if (!neighbor?.lladdr) {
    problems.push(pairFinding(from, subnet, "vxlan-neighbor-missing", "error", `${out.name}/neigh/${via}`, `${from.name} has no neighbour entry for ${subnet.node}'s VTEP ${via} on ${out.name}: without learning, the device cannot find the inner MAC and drops packets for ${subnet.cidr}`, neighborFix()));
  } else if (neighbor.lladdr !== mac && neighbor.lladdr.toLowerCase() !== mac) {
    const old = ctx.macOwnerOf(neighbor.lladdr);
    const whose = old ? `${old}'s VTEP MAC` : "a MAC no VTEP in the fleet has (the VTEP was re-created since)";
    problems.push(pairFinding(from, subnet, "vxlan-neighbor-stale", "error", `${out.name}/neigh/${via}`, `${from.name}'s neighbour entry for ${subnet.node}'s VTEP ${via} on ${out.name} gives ${neighbor.lladdr}, ${whose}; ${subnet.node}'s ${to.vxlan.dev} has ${mac}, so it drops the frames`, neighborFix()));
  }
  const fdb = from.index.fdb(from.host, out.name, mac);
  const dst = fdb?.dst ?? out.vxlan?.remote;
  const fdbFix = () => (underlay ? on(from.name, fdbCommand(mac, out.name, underlay)) : undefined);
  if (!dst) {
    problems.push(pairFinding(from, subnet, "vxlan-fdb-missing", "error", `${out.name}/fdb/${mac}`, `${from.name} has no FDB entry for ${subnet.node}'s VTEP MAC ${mac} on ${out.name}: the device does not know which node to send ${subnet.cidr} to`, fdbFix()));
  } else if (underlay && dst !== underlay && canonicalIp(dst) !== canonicalIp(underlay)) {
    const at = ctx.nodeAt(dst);
    problems.push(pairFinding(from, subnet, "vxlan-fdb-wrong-dst", "error", `${out.name}/fdb/${mac}`, `${from.name}'s FDB entry for ${subnet.node}'s VTEP MAC ${mac} on ${out.name} sends to ${dst}${at ? ` (${at})` : ", which is no node's address"}, not ${subnet.node}'s ${underlay}`, fdbFix()));
  }
  return { from: from.name, subnet, route, out, way: "vxlan", reaches: subnet.node, problems };
}
