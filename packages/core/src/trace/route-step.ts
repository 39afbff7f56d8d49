import type { Link } from "../model/link.js";
import type { TraceVerdictKind } from "../model/trace.js";
import { ipFamily } from "../net/cidr.js";
import { bridgeForward } from "./bridge.js";
import { ipLayer, passHooks } from "./filter-step.js";
import { masquerade } from "./masquerade.js";
import { sendThrough } from "./mtu.js";
import type { RouteMatch } from "./route-table.js";
import { neighborRule, routeRule } from "./rule-text.js";
import { underlayOut } from "./underlay.js";
import { crossVeth } from "./veth.js";
import { vxlanEncap } from "./vxlan-encap.js";
import { downReason, isUp, type Packet, type Position, type Walk } from "./walk.js";

const DROPPING = new Set(["blackhole", "unreachable", "prohibit"]);
const FAILED_NEIGHBOR = ["FAILED", "INCOMPLETE"];

/** How the lookup went, in words: the table, and the other routes that also matched. */
function lookupDetail(match: RouteMatch): string {
  const also = match.alsoMatched.filter((r) => r.dev !== match.route.dev || r.via !== match.route.via);
  const shadowed = also.length ? `; also matched, less specific: ${also.map(routeRule).join(", ")}` : "";
  return `longest prefix match in table ${match.table}${shadowed}`;
}

/** Less specific connected routes through another device that also contain the destination: an overlapping subnet such as docker0's. */
function noteShadowed(walk: Walk, where: string, dst: string, match: RouteMatch): void {
  for (const r of match.alsoMatched) {
    if (r.dev && r.dev !== match.route.dev && !r.via) walk.shadowed.add(`${dst} also falls into ${r.dev}'s ${r.dst} in ${where}, shadowed there by the more specific ${routeRule(match.route)}`);
  }
}

/** Sends the packet out of `out` towards `nextHop`, by the kind of link. */
function egress(walk: Walk, at: Position, out: Link, nextHop: string, packet: Packet): Position | undefined {
  switch (out.kind) {
    case "loopback":
      return { node: at.node, netns: at.netns, iif: out, packet };
    case "veth":
      return crossVeth(walk, at.node, out, nextHop, packet);
    case "bridge":
      return bridgeForward(walk, at.node, out, undefined, nextHop, packet);
    case "vxlan":
      return vxlanEncap(walk, at, out, nextHop, packet);
    default:
      return underlayOut(walk, at, out, nextHop, packet);
  }
}

/** What is wrong with the chosen way out before anything is sent: the interface, its MTU (with DF), the next hop's neighbour entry. */
function egressProblem(at: Position, out: Link, nextHop: string, packet: Packet): { kind: TraceVerdictKind; message: string } | undefined {
  const where = `${at.node.name} (${at.node.netnsLabel(at.netns)})`;
  if (!isUp(out)) return { kind: "interface-down", message: `${where} routes ${packet.dst} out of ${out.name}, which ${downReason(out)}` };
  const sent = sendThrough(out, packet, where);
  if (!sent.ok) return { kind: "mtu-too-small", message: sent.message };
  const neighbor = at.node.neighbor(at.netns, out.name, nextHop);
  if (neighbor && FAILED_NEIGHBOR.some((s) => neighbor.state.includes(s))) {
    return { kind: "neighbor-missing", message: `${where} cannot resolve the next hop ${nextHop} on ${out.name}: ${neighborRule(neighbor)}` };
  }
  return undefined;
}

/** The routing decision for a packet that is not for this namespace, and what follows from it. */
export function routeStep(walk: Walk, at: Position, match: RouteMatch | undefined): Position | undefined {
  const { node, netns, iif } = at;
  let packet = at.packet;
  const where = `${node.name} (${node.netnsLabel(netns)})`;
  if (!match) {
    walk.hop(at, "route", [iif?.name], "(no route)", `no route in tables local, main or default contains ${packet.dst}`, packet);
    return walk.end("no-route", `${where} has no route to ${packet.dst}`);
  }
  const { route } = match;
  walk.lastRoute = { node, netns, match };
  noteShadowed(walk, where, packet.dst, match);
  const choice = { table: match.table, type: route.type, dst: route.dst, dev: route.dev, via: route.via };
  if (DROPPING.has(route.type)) {
    walk.hop(at, "route", [iif?.name], routeRule(route), lookupDetail(match), packet, choice);
    return walk.end("blackhole", `${where} has a ${route.type} route for ${packet.dst} (${routeRule(route)}): the kernel drops it${route.type === "blackhole" ? " silently" : ` and answers ICMP ${route.type}`}`);
  }
  const out = route.dev === undefined ? undefined : node.links.named(netns, route.dev);
  if (route.type !== "unicast" || !out) {
    walk.hop(at, "route", [iif?.name, route.dev], routeRule(route), lookupDetail(match), packet, choice);
    return walk.end("no-route", out ? `${where} matched a ${route.type} route for ${packet.dst} (${routeRule(route)}), which does not forward` : `${where} routes ${packet.dst} to device ${route.dev ?? "(none)"}, which is not in the snapshot`);
  }
  const nextHop = route.via ?? packet.dst;
  if (!packet.src) packet = { ...packet, src: route.prefsrc ?? node.selectSource(netns, out.name, ipFamily(packet.dst), nextHop) ?? "" };
  const detail = `${lookupDetail(match)}; next hop ${route.via ? `gateway ${route.via}` : `${packet.dst} itself (directly connected)`} on ${out.name}`;
  walk.hop(at, "route", [iif?.name, out.name], routeRule(route), detail, packet, choice);
  const problem = egressProblem(at, out, nextHop, packet);
  if (problem) return walk.end(problem.kind, problem.message);
  // After the routing decision: forward (a packet that arrived) or output (one this namespace sends), then postrouting.
  const first = iif ? "forward" : "output";
  if (!passHooks(walk, at, ipLayer(packet), packet, [[first, { iif: iif?.name, oif: out.name }], ["postrouting", { oif: out.name }]])) return undefined;
  // Without DF a packet larger than the device's MTU leaves it in fragments (an ICMP echo reply does).
  const sent = sendThrough(out, packet, where);
  if (sent.ok) packet = sent.packet;
  const translated = masquerade(walk, at, out, nextHop, packet);
  return translated && egress(walk, at, out, nextHop, translated);
}

