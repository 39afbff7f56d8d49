import type { NatRule } from "../model/nat.js";
import { ipToBigInt, isIp, parseCidr, parseIp } from "../net/cidr.js";
import type { NatDecision, NatPacket } from "../trace/postrouting-nat.js";
import type { NodeIndex } from "../trace/node-index.js";
import { Memo } from "./interner.js";

/** The address and prefix elements of a NAT match's value (`10.244.0.0/16`, `{ 10.0.0.1, 10.0.0.2 }`). */
function elements(value: string): string[] {
  const inner = value.startsWith("{") && value.endsWith("}") ? value.slice(1, -1) : value;
  return inner.split(",").map((v) => v.trim()).filter((v) => isIp(v.split("/")[0] ?? ""));
}

/**
 * The postrouting NAT decisions of the matrix, each made once per class of
 * packet: a NAT rule sees an address only through the prefixes it compares it
 * with, so packets whose source and destination fall into the same of those
 * prefixes (and agree on protocol, port and interfaces) get the same decision.
 * A matrix asks about one source per node and one destination per node, over
 * a few rules: a handful of decisions per node instead of one per pair. The
 * protocol and port are the matrix's, the same for every packet of one NatDecisions.
 */
/** A prefix to test addresses against: IPv4 as 32-bit numbers (no BigInt on the hot path), IPv6 as BigInts. */
interface Prefix {
  family: 4 | 6;
  hostBits: bigint;
  network: bigint;
  mask4: number;
  network4: number;
}

/** What one namespace's NAT rules compare addresses with, and the answers so far. */
interface NamespaceNat {
  src: Prefix[];
  dst: Prefix[];
  classes: Record<"src" | "dst", Map<string, string>>;
  decided: Map<string, NatDecision | undefined>;
}

export class NatDecisions {
  private readonly namespaces = new Memo<NamespaceNat>();

  private namespaceOf(node: NodeIndex, netns: number): NamespaceNat {
    return this.namespaces.get([node, netns], () => {
      const rules = node.snapshot.nat.filter((r: NatRule) => r.netns === netns);
      const parse = (p: string): Prefix => {
        const c = parseCidr(p);
        const hostBits = BigInt((c.family === 4 ? 32 : 128) - c.prefixLength);
        const mask4 = c.prefixLength === 0 ? 0 : (0xffffffff << (32 - Math.min(c.prefixLength, 32))) >>> 0;
        return { family: c.family, hostBits, network: ipToBigInt(c.network) >> hostBits, mask4, network4: c.family === 4 ? Number(ipToBigInt(c.network)) : 0 };
      };
      const of = (field: string) => [...new Set(rules.flatMap((r) => r.matches.filter((m) => m.field.endsWith(field)).flatMap((m) => elements(m.value))))].map(parse);
      return { src: of("saddr"), dst: of("daddr"), classes: { src: new Map(), dst: new Map() }, decided: new Map() };
    });
  }

  /** Which of the prefixes the address is in, as a string of bits (and its family). */
  private classOf(nat: NamespaceNat, field: "src" | "dst", ip: string): string {
    let known = nat.classes[field].get(ip);
    if (known === undefined) {
      const address = ipToBigInt(parseIp(ip));
      const family = ip.includes(":") ? 6 : 4;
      const address4 = family === 4 ? Number(address) : 0;
      const inside = (p: Prefix) => p.family === family && (family === 4 ? ((address4 & p.mask4) >>> 0) === p.network4 : address >> p.hostBits === p.network);
      known = `${family}:${nat[field].map((p) => (inside(p) ? "1" : "0")).join("")}`;
      nat.classes[field].set(ip, known);
    }
    return known;
  }

  /** The decision for a packet of this class, made by the trace's own NAT evaluation the first time (`packet` builds it then). */
  postrouting(node: NodeIndex, netns: number, src: string, dst: string, oif: string, iif: string | undefined, packet: () => NatPacket): NatDecision | undefined {
    const nat = this.namespaceOf(node, netns);
    const key = `${this.classOf(nat, "src", src)} ${this.classOf(nat, "dst", dst)} ${oif} ${iif}`;
    if (nat.decided.has(key)) return nat.decided.get(key);
    const decision = node.nat(netns).postrouting(packet());
    nat.decided.set(key, decision);
    return decision;
  }
}
