import { podKey } from "../model/pod.js";
import { routeRule } from "./rule-text.js";
import { routeStep } from "./route-step.js";
import { vxlanDecap } from "./vxlan-decap.js";
import { conntrackKey, type Position, type Walk } from "./walk.js";

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

/**
 * What the namespace does with a packet that reached it: the local table says
 * whether it is for this namespace (deliver it, decapsulate it, or undo the
 * source NAT of the connection it answers), else it is forwarded by a route.
 */
export function arrive(walk: Walk, at: Position): Position | undefined {
  const { node, netns, packet } = at;
  const before = walk.revisit(at);
  if (before !== undefined) {
    return walk.end("loop", `the packet for ${packet.dst} came back to ${node.name} (${node.netnsLabel(netns)}), where it already was at hop ${before}: the routes send it in a circle`);
  }
  const match = node.routesOf(netns).lookup(packet.dst);
  if (match && (match.route.type === "local" || match.route.type === "broadcast")) {
    if (packet.inner) return vxlanDecap(walk, at, packet.inner);
    const original = walk.direction === "reverse" ? walk.conntrack.get(conntrackKey(node.name, netns, packet.dst)) : undefined;
    if (original) {
      const restored = { ...packet, dst: original };
      walk.hop(at, "unmasquerade", [at.iif?.name], `conntrack: reply to ${packet.dst} belongs to ${original}`, `the reply's destination is translated back from ${packet.dst} to ${original} (the masquerade of the request)`, restored);
      return { ...at, packet: restored };
    }
    return deliver(walk, at, match.route.dev, routeRule(match.route));
  }
  if (at.iif && node.netns(netns)?.ipForward === false) {
    walk.hop(at, "route", [at.iif.name], "net.ipv4.ip_forward = 0", `${packet.dst} is not local and the namespace does not forward`, packet);
    return walk.end("forwarding-off", `${node.name} (${node.netnsLabel(netns)}) received the packet for ${packet.dst} on ${at.iif.name} but has IP forwarding off: it drops it`);
  }
  return routeStep(walk, at, match);
}
