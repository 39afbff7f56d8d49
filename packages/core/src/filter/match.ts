import type { FilterMatch } from "../model/filter.js";
import { cidrSize, ipToBigInt, isIp, parseCidr, parseIp } from "../net/cidr.js";
import { EPHEMERAL_PORTS, type PacketFacts, type TracedPort } from "./packet.js";

/** true, false, or undefined when the trace cannot tell. */
export type Outcome = boolean | undefined;

/**
 * Whether the packet's field is one of the values; "absent" when the packet has no such
 * field at this hook (no input device on output, `tcp dport` of a UDP packet, `ip saddr`
 * of an IPv6 packet in an inet chain): nft then breaks off the rule, whatever the operator.
 */
type Membership = (f: PacketFacts) => Outcome | "absent";

const anyOf = (results: Outcome[]): Outcome => (results.includes(true) ? true : results.includes(undefined) ? undefined : false);

/** "veth*" matches every name that starts with "veth", as nft's trailing wildcard does. */
function names(values: string[], pick: (f: PacketFacts) => string | undefined): Membership {
  const exact = new Set(values.filter((v) => !v.endsWith("*")));
  const prefixes = values.filter((v) => v.endsWith("*")).map((v) => v.slice(0, -1));
  return (f) => {
    const name = pick(f);
    if (name === undefined) return "absent";
    return exact.has(name) || prefixes.some((p) => name.startsWith(p));
  };
}

interface AddressRange {
  family: 4 | 6;
  lo: bigint;
  hi: bigint;
}

function addressRange(value: string): AddressRange | undefined {
  const [a, b, ...rest] = value.split("-");
  if (b !== undefined && rest.length === 0 && a && isIp(a) && isIp(b)) {
    const lo = parseIp(a);
    return { family: lo.kind() === "ipv4" ? 4 : 6, lo: ipToBigInt(lo), hi: ipToBigInt(parseIp(b)) };
  }
  try {
    const cidr = parseCidr(value);
    const lo = ipToBigInt(cidr.network);
    return { family: cidr.family, lo, hi: lo + cidrSize(cidr) - 1n };
  } catch {
    return undefined;
  }
}

function addresses(values: string[], family: 4 | 6, side: "src" | "dst"): Membership {
  const ranges = values.map(addressRange);
  return (f) => {
    if (f.family !== family) return "absent";
    const value = side === "src" ? f.srcValue : f.dstValue;
    if (value === undefined) return undefined;
    return anyOf(ranges.map((r) => (r === undefined || r.family !== family ? undefined : value >= r.lo && value <= r.hi)));
  };
}

function numberRange(value: string): { lo: number; hi: number } | undefined {
  const [a, b] = value.split("-").map((x) => Number(x));
  if (a === undefined || !Number.isInteger(a) || (b !== undefined && !Number.isInteger(b))) return undefined;
  return { lo: a, hi: b ?? a };
}

/** An unknown ephemeral port is in a range: a value wholly outside it cannot match, one covering it must. */
function portIn(port: TracedPort, r: { lo: number; hi: number } | undefined): Outcome {
  if (r === undefined || port === undefined) return undefined;
  if (port !== "ephemeral") return port >= r.lo && port <= r.hi;
  if (r.hi < EPHEMERAL_PORTS.first || r.lo > EPHEMERAL_PORTS.last) return false;
  return r.lo <= EPHEMERAL_PORTS.first && r.hi >= EPHEMERAL_PORTS.last ? true : undefined;
}

function ports(values: string[], protocol: string, side: "sport" | "dport"): Membership {
  const ranges = values.map(numberRange);
  return (f) => {
    if (f.protocol === "icmp" || (protocol !== "th" && protocol !== f.protocol)) return "absent";
    return anyOf(ranges.map((r) => portIn(f[side], r)));
  };
}

const PROTOCOL_NUMBERS: Record<string, string> = { "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6" };

function protocols(values: string[]): Membership {
  const wanted = new Set(values.map((v) => PROTOCOL_NUMBERS[v] ?? v));
  return (f) => wanted.has(f.protocol === "icmp" && f.family === 6 ? "icmpv6" : f.protocol);
}

function marks(values: string[], mask: number | undefined): Membership {
  const wanted = values.map((v) => Number(v));
  return (f) => {
    if (f.mark === undefined || wanted.some((w) => Number.isNaN(w))) return undefined;
    const mark = mask === undefined ? f.mark : (f.mark & mask) >>> 0;
    return wanted.includes(mark);
  };
}

function icmpTypes(values: string[], family: 4 | 6): Membership {
  return (f) => {
    if (f.protocol !== "icmp" || f.family !== family) return "absent";
    return values.includes(f.ct.direction === "original" ? "echo-request" : "echo-reply");
  };
}

/** `fib saddr . iif oif missing`: no route back to the source leaves through the arrival interface (nft's reverse-path check). */
function fibBack(values: string[]): Membership {
  return (f) => {
    if (!f.iif || !f.routeBack || values.length !== 1) return undefined;
    const exists = f.routeBack() === f.iif;
    return values[0] === "missing" ? !exists : values[0] === "exists" ? exists : undefined;
  };
}

const ADDRESS = /^(ip|ip6) (saddr|daddr)$/;
const PORT = /^(tcp|udp|sctp|dccp|th) (sport|dport)$/;

function membership(field: string, values: string[], mask: number | undefined): Membership {
  const address = ADDRESS.exec(field);
  if (address) return addresses(values, address[1] === "ip" ? 4 : 6, address[2] === "saddr" ? "src" : "dst");
  const port = PORT.exec(field);
  if (port?.[1] && port[2]) return ports(values, port[1], port[2] as "sport" | "dport");
  switch (field) {
    case "iifname":
    case "iif":
      return names(values, (f) => f.iif);
    case "oifname":
    case "oif":
      return names(values, (f) => f.oif);
    case "l4proto":
    case "ip protocol":
    case "ip6 nexthdr":
      return protocols(values);
    case "nfproto":
      return (f) => values.includes(f.family === 4 ? "ipv4" : "ipv6");
    case "ct state":
      return (f) => values.includes(f.ct.state);
    case "ct direction":
      return (f) => values.includes(f.ct.direction);
    case "mark":
      return marks(values, mask);
    case "icmp type":
      return icmpTypes(values, 4);
    case "icmpv6 type":
      return icmpTypes(values, 6);
    case "pkttype":
      return () => values.includes("unicast");
    case "fib saddr . iif oif":
      return fibBack(values);
    default:
      return () => undefined;
  }
}

/** A concatenation ("ip daddr . l4proto . th dport"): a value matches when every part does. */
function concatenation(fields: string[], values: string[]): Membership {
  const tuples = values.map((v) => {
    const parts = v.split(" . ");
    return parts.length === fields.length ? fields.map((field, i) => membership(field, [parts[i] ?? ""], undefined)) : undefined;
  });
  return (f) => {
    const results = tuples.map((parts): Outcome | "absent" => {
      if (!parts) return undefined;
      const each = parts.map((p) => p(f));
      if (each.includes("absent")) return "absent";
      return each.includes(false) ? false : each.includes(undefined) ? undefined : true;
    });
    if (results.includes("absent")) return "absent";
    return anyOf(results as Outcome[]);
  };
}

/** A condition compiled once: its values parsed, its field resolved; then a call per packet. */
export function compileMatch(m: FilterMatch): (f: PacketFacts) => Outcome {
  const member = !m.field.startsWith("fib ") && m.field.includes(" . ") ? concatenation(m.field.split(" . "), m.values) : membership(m.field, m.values, m.mask);
  return (f) => {
    const result = member(f);
    if (result === "absent") return false;
    if (result === undefined) return undefined;
    return m.op === "==" ? result : !result;
  };
}
