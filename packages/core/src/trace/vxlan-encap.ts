import { VXLAN_OVERHEAD } from "../fabric/fleet-spec.js";
import type { Link } from "../model/link.js";
import { wireSize } from "./mtu.js";
import { fdbRule, neighborRule } from "./rule-text.js";
import { downReason, isUp, type Packet, type Position, type Walk } from "./walk.js";

/** Without `dstport` Linux uses 8472 (the port before IANA assigned 4789; flannel keeps it). */
export const LINUX_DEFAULT_VXLAN_PORT = 8472;

/**
 * A VXLAN device with learning off, as flannel and netatlas build it, encapsulates
 * by table: the neighbour entry of the next hop gives the inner destination MAC,
 * the FDB entry of that MAC gives the remote VTEP's underlay address. The outer
 * UDP packet is then routed from the device's local address like any other.
 * Each inner packet (or fragment) gets 50 bytes of headers; the outer packet carries
 * DF only when the device says so (`df set`, or `df inherit` from a DF inner packet):
 * by default (`df unset`) an outer packet too large for the underlay is fragmented.
 */
export function vxlanEncap(walk: Walk, at: Position, vxlan: Link, nextHop: string, packet: Packet): Position | undefined {
  const { node, netns } = at;
  const where = `${node.name} (${node.netnsLabel(netns)})`;
  const neighbor = node.neighbor(netns, vxlan.name, nextHop);
  if (!neighbor?.lladdr) {
    walk.hop(at, "vxlan-encap", [vxlan.name], `(no neighbour entry for ${nextHop} dev ${vxlan.name})`, "the inner destination MAC is unknown", packet);
    return walk.end("neighbor-missing", `${where} has no neighbour entry for ${nextHop} on ${vxlan.name}: the VXLAN device cannot find the inner MAC of the next hop, so it drops the packet`);
  }
  const fdb = node.fdb(netns, vxlan.name, neighbor.lladdr);
  const remote = fdb?.dst ?? vxlan.vxlan?.remote;
  if (!remote) {
    walk.hop(at, "vxlan-encap", [vxlan.name], neighborRule(neighbor), `inner MAC ${neighbor.lladdr}; no FDB entry says which VTEP has it`, packet);
    return walk.end("fdb-missing", `${where} has no FDB entry for ${neighbor.lladdr} (${nextHop}) on ${vxlan.name}: the VXLAN device does not know which node to send it to`);
  }
  const lower = vxlan.vxlan?.device ? node.links.named(netns, vxlan.vxlan.device) : undefined;
  const local = vxlan.vxlan?.local ?? (lower ? node.selectSource(netns, lower.name, 4, remote) : undefined) ?? "";
  const port = vxlan.vxlan?.port ?? LINUX_DEFAULT_VXLAN_PORT;
  const df = vxlan.vxlan?.df === "set" || (vxlan.vxlan?.df === "inherit" && packet.df);
  // The outer source port is a hash of the inner flow, from the ephemeral range.
  const outer: Packet = { src: local, dst: remote, protocol: "udp", port, sport: "ephemeral", size: wireSize(packet) + VXLAN_OVERHEAD, df, inner: packet, vni: vxlan.vxlan?.vni ?? 0, innerMac: neighbor.lladdr };
  const room = lower ? `; ${lower.name} (MTU ${lower.mtu}) leaves room for ${lower.mtu - VXLAN_OVERHEAD}-byte packets` : "";
  const rules = [neighborRule(neighbor), fdb ? fdbRule(fdb) : `${vxlan.name} remote ${remote}`].join("; ");
  walk.hop(at, "vxlan-encap", [vxlan.name], rules, `inner MAC ${neighbor.lladdr}, remote VTEP ${remote}: UDP ${local} -> ${remote}:${port}, VNI ${outer.vni}, ${outer.size} bytes${df ? ", DF" : ""}${room}`, outer);
  if (lower && !isUp(lower)) return walk.end("interface-down", `${where}: ${vxlan.name}'s underlay device ${lower.name} ${downReason(lower)}`);
  if (lower && outer.df && outer.size > lower.mtu) {
    return walk.end("mtu-too-small", `the ${outer.size}-byte encapsulated packet does not fit ${lower.name}'s MTU ${lower.mtu} under ${vxlan.name} (MTU ${vxlan.mtu}) in ${where}: packets over ${lower.mtu - VXLAN_OVERHEAD} bytes are lost; lower ${vxlan.name}'s MTU to ${lower.mtu - VXLAN_OVERHEAD} or raise ${lower.name}'s`);
  }
  return { node, netns, packet: outer };
}
