import { ipFamily, ipToBigInt, isIp, parseIp } from "../net/cidr.js";

/** Linux's default ip_local_port_range: where a client's source port is, when the trace does not know it. */
export const EPHEMERAL_PORTS = { first: 32_768, last: 60_999 } as const;

/** A port the trace knows, one it knows only as a client's ephemeral port, or (undefined) one it does not know. */
export type TracedPort = number | "ephemeral" | undefined;

/** What netfilter sees of a packet at a hook, as far as the trace knows it. */
export interface FilterPacket {
  src: string;
  dst: string;
  protocol: "tcp" | "udp" | "icmp";
  sport: TracedPort;
  dport: TracedPort;
  /** The interface names the hook sees (the bridge itself in the ip hooks of a bridged frame); absent where the hook has none. */
  iif?: string;
  oif?: string;
  /** The trace's own conntrack: a request is new, its reply established (when the request passed this namespace). */
  ct: { state: "new" | "established"; direction: "original" | "reply" };
  /** skb->mark: 0 as a namespace receives or sends a packet, then what the rules the trace ran set; undefined once it cannot tell. */
  mark: number | undefined;
  /** The route back to the source (for `fib saddr . iif oif`): its device, or undefined when there is none. */
  routeBack?: () => string | undefined;
}

/** The packet with its addresses as numbers, computed once per hook. */
export interface PacketFacts extends FilterPacket {
  family: 4 | 6;
  /** undefined when the packet has no source address yet (nothing to select one from). */
  srcValue: bigint | undefined;
  dstValue: bigint;
}

/** The packet with canonical addresses (as the rule index keys them) and their numbers. */
export function factsOf(packet: FilterPacket): PacketFacts {
  const src = isIp(packet.src) ? parseIp(packet.src) : undefined;
  const dst = parseIp(packet.dst);
  return { ...packet, src: src?.toString() ?? packet.src, dst: dst.toString(), family: ipFamily(packet.dst), srcValue: src && ipToBigInt(src), dstValue: ipToBigInt(dst) };
}
