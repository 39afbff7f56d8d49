import type { Link } from "../model/link.js";
import { ipFamily } from "../net/cidr.js";
import type { Packet, Position, Walk } from "./walk.js";

/**
 * Source NAT on the way out of a namespace (the nat postrouting hook). Returns the
 * packet as it leaves, or undefined when a rule dropped it (the walk has ended).
 * Replies belong to a connection that is already translated: NAT rules do not run for them.
 */
export function masquerade(walk: Walk, at: Position, out: Link, nextHop: string, packet: Packet): Packet | undefined {
  if (walk.direction === "reverse") return packet;
  const { node, netns } = at;
  const decision = node.nat(netns).postrouting({ src: packet.src, dst: packet.dst, protocol: packet.protocol, port: packet.port, oif: out.name, iif: at.iif?.name });
  if (!decision) return packet;
  const rule = decision.path.map((r) => `${r.table} ${r.chain}: ${r.text}`).join(" -> ");
  const unsure = decision.unsure ? " (some conditions could not be checked; assumed to match)" : "";
  if (decision.rule.action === "drop") {
    walk.hop(at, "masquerade", [out.name], rule, `dropped by nft${unsure}`, packet);
    return walk.end("blackhole", `${node.name} (${node.netnsLabel(netns)}) drops the packet in nat postrouting: ${decision.rule.text}`);
  }
  const translated = decision.rule.action === "snat" && decision.rule.target ? decision.rule.target.split(":")[0] : node.selectSource(netns, out.name, ipFamily(packet.dst), nextHop);
  if (!translated) {
    walk.hop(at, "masquerade", [out.name], rule, `${out.name} has no address to masquerade to`, packet);
    return walk.end("blackhole", `${node.name} masquerades the packet out of ${out.name}, which has no IPv${ipFamily(packet.dst)} address: the kernel drops it`);
  }
  const after = { ...packet, src: translated };
  walk.conntrack.bind(node.name, netns, translated, packet.src);
  walk.hop(at, "masquerade", [out.name], rule, `source ${packet.src} becomes ${translated} (${out.name}'s address)${unsure}`, after);
  return after;
}
