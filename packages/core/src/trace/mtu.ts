import type { Link } from "../model/link.js";
import type { Packet } from "./walk.js";

/**
 * Where the kernel checks a packet's size, and against what. Two different rules:
 *
 * - Sending out of a device after a routing decision (ip_output, ip_forward, a VXLAN
 *   device's outer packet): the IP packet must fit the device's MTU. If it does not and
 *   DF is set, it is dropped (ICMP fragmentation needed); without DF it is fragmented
 *   and goes on as fragments no larger than the MTU.
 * - A frame arriving through a veth, or forwarded by a bridge to a port
 *   (is_skb_forwardable): the frame may be the MTU plus the Ethernet header plus one
 *   VLAN tag, so an IP packet up to MTU + 4 bytes still passes. Measured in the lab: an
 *   eth0 of MTU 1400 takes a 1404-byte packet from the underlay and drops a 1405-byte one.
 */
export const L2_RECEIVE_ALLOWANCE = 4;

/** The largest IP datagram on the wire: the packet, or its largest fragment. */
export const wireSize = (packet: Packet): number => packet.fragment ?? packet.size;

/** The largest fragment of a datagram sent out of `mtu`: the header plus the payload cut to 8-byte units. */
export function largestFragment(mtu: number): number {
  const IP_HEADER = 20;
  return IP_HEADER + Math.floor((mtu - IP_HEADER) / 8) * 8;
}

export type Egress = { ok: true; packet: Packet; fragmented: boolean } | { ok: false; message: string };

/** The packet as it leaves `out` after a routing decision: whole, fragmented (no DF), or dropped (DF). */
export function sendThrough(out: Link, packet: Packet, where: string): Egress {
  const size = wireSize(packet);
  if (size <= out.mtu) return { ok: true, packet, fragmented: false };
  if (packet.df) return { ok: false, message: `a ${size}-byte packet does not fit ${out.name}'s MTU ${out.mtu} in ${where}: with DF set it is dropped (ICMP fragmentation needed)` };
  return { ok: true, packet: { ...packet, fragment: largestFragment(out.mtu) }, fragmented: true };
}

/** Why a frame is refused on arrival through `link` (a veth end, a bridge port), or undefined when it passes. */
export function refusedOnArrival(link: Link, packet: Packet): string | undefined {
  const size = wireSize(packet);
  const limit = link.mtu + L2_RECEIVE_ALLOWANCE;
  if (size <= limit) return undefined;
  return `a ${size}-byte ${packet.fragment === undefined ? "packet" : "fragment"} arrives at ${link.name}, whose MTU ${link.mtu} admits frames of IP packets up to ${limit} bytes (MTU + ${L2_RECEIVE_ALLOWANCE}: Ethernet header and a VLAN tag beyond it): it is dropped`;
}
