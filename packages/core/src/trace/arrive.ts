import { podKey } from "../model/pod.js";
import { ipLayer, passHook, passHooks, type HookInterfaces } from "./filter-step.js";
import type { RouteMatch } from "./route-table.js";
import { routeRule } from "./rule-text.js";
import { routeStep } from "./route-step.js";
import { rpFilterRefusal } from "./rp-filter.js";
import { vxlanDecap } from "./vxlan-decap.js";
import type { Position, Walk } from "./walk.js";

function deliver(walk: Walk, at: Position, localDev: string | undefined, rule: string): undefined {
  const { node, netns, packet } = at;
  const iface = at.iif?.name ?? localDev;
  const pod = node.podIn(netns);
  const owner = pod ? `pod ${podKey(pod)}` : node.netnsLabel(netns);
  const shared = at.iif !== undefined ? "" : pod ? " (sent and received in the same namespace: the pod's containers share it)" : " (sent and received in the same namespace)";
  walk.hop(at, "deliver", [iface], rule, `${packet.dst} is local to ${owner}${shared}`, packet);
  const ns = node.netns(netns);
  const warning = pod && !pod.sandbox.alive ? `, but its sandbox holder is dead: its containers have lost the pod network` : ns && ns.processes.length === 0 && ns.kind !== "host" ? ", but no process lives in that namespace" : "";
  return walk.end("delivered", `delivered to ${owner} on ${node.name} (${packet.dst}${iface ? ` on ${iface}` : ""})${shared}${warning}`);
}

const isLocal = (match: RouteMatch | undefined): boolean => !!match && (match.route.type === "local" || match.route.type === "broadcast");

/** The reverse-path check on a routed packet that arrived on an interface; false when it failed (the walk has ended). */
function passRpFilter(walk: Walk, at: Position): boolean {
  if (!at.iif) return true;
  const refused = rpFilterRefusal(at.node, at.netns, at.iif, at.packet.src);
  if (!refused) return true;
  walk.hop(at, "rp-filter", [at.iif.name], refused.check.route ?? `(no route back to ${at.packet.src})`, `reverse-path check (${refused.check.mode}) on ${at.iif.name}`, at.packet);
  walk.end("rp-filtered", refused.message, undefined, { rpFilter: refused.check });
  return false;
}

/** The hooks of local delivery: input after arriving; a packet the namespace sends itself goes out and back in through lo first. */
function localHooks(at: Position): Array<[string, HookInterfaces]> {
  // Whatever device the local route names, a packet to the namespace itself goes through lo.
  const loopback = "lo";
  if (at.iif) return [["input", { iif: at.iif.name }]];
  return [
    ["output", { oif: loopback }],
    ["postrouting", { oif: loopback }],
    ["prerouting", { iif: loopback }],
    ["input", { iif: loopback }],
  ];
}

/**
 * What the namespace does with a packet that reached it: the local table says
 * whether it is for this namespace (deliver it, decapsulate it, or undo the
 * source NAT of the connection it answers), else it is forwarded by a route.
 * The filter hooks and the reverse-path check run where the kernel runs them:
 * prerouting on arrival, then after the routing decision input (local) or forward.
 */
export function arrive(walk: Walk, at: Position): Position | undefined {
  const { node, netns, packet } = at;
  const before = walk.revisit(at);
  if (before !== undefined) {
    return walk.end("loop", `the packet for ${packet.dst} came back to ${node.name} (${node.netnsLabel(netns)}), where it already was at hop ${before}: the routes send it in a circle`);
  }
  const match = node.routesOf(netns).lookup(packet.dst);
  // conntrack translates a reply back before anything filters or routes it (nat prerouting).
  const original = isLocal(match) && !packet.inner && walk.direction === "reverse" ? walk.conntrack.originalOf(node.name, netns, packet.dst) : undefined;
  if (original) {
    const restored = { ...packet, dst: original };
    walk.hop(at, "unmasquerade", [at.iif?.name], `conntrack: reply to ${packet.dst} belongs to ${original}`, `the reply's destination is translated back from ${packet.dst} to ${original} (the masquerade of the request)`, restored);
    return { ...at, packet: restored };
  }
  if (at.iif && !passHook(walk, at, "prerouting", ipLayer(packet), packet, { iif: at.iif.name })) return undefined;
  if (match && isLocal(match)) {
    if (!passRpFilter(walk, at) || !passHooks(walk, at, ipLayer(packet), packet, localHooks(at))) return undefined;
    if (packet.inner) return vxlanDecap(walk, at, packet.inner);
    return deliver(walk, at, match.route.dev, routeRule(match.route));
  }
  if (at.iif && node.netns(netns)?.ipForward === false) {
    walk.hop(at, "route", [at.iif.name], "net.ipv4.ip_forward = 0", `${packet.dst} is not local and the namespace does not forward`, packet);
    return walk.end("forwarding-off", `${node.name} (${node.netnsLabel(netns)}) received the packet for ${packet.dst} on ${at.iif.name} but has IP forwarding off: it drops it`);
  }
  if (match?.route.type === "unicast" && !passRpFilter(walk, at)) return undefined;
  return routeStep(walk, at, match);
}
