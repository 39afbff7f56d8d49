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
 * a few rules: a handful of decisions per node instead of one per pair.
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
  classes: Record<"src" | "dst", Map<string, string | number>>;
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

  /** Which of the prefixes the address is in, as a bit mask (a string of bits beyond 30 prefixes), with its family. */
  private classOf(nat: NamespaceNat, field: "src" | "dst", ip: string): string | number {
    let known = nat.classes[field].get(ip);
    if (known === undefined) {
      const prefixes = nat[field];
      const parsed = parseIp(ip);
      if (parsed.kind() === "ipv4" && prefixes.length <= 30) {
        const [a = 0, b = 0, c = 0, d = 0] = (parsed as { octets: number[] }).octets;
        const address = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
        known = 1 << 30;
        prefixes.forEach((p, i) => {
          if (p.family === 4 && ((address & p.mask4) >>> 0) === p.network4) known = (known as number) | (1 << i);
        });
      } else {
        const address = ipToBigInt(parsed);
        const family = ip.includes(":") ? 6 : 4;
        known = `${family}:${prefixes.map((p) => (p.family === family && address >> p.hostBits === p.network ? "1" : "0")).join("")}`;
      }
      nat.classes[field].set(ip, known);
    }
    return known;
  }

  /** The decision for a packet of this class, made by the trace's own NAT evaluation the first time. */
  postrouting(node: NodeIndex, netns: number, packet: NatPacket): NatDecision | undefined {
    const nat = this.namespaceOf(node, netns);
    const key = `${this.classOf(nat, "src", packet.src)} ${this.classOf(nat, "dst", packet.dst)} ${packet.protocol} ${packet.port} ${packet.oif} ${packet.iif}`;
    if (nat.decided.has(key)) return nat.decided.get(key);
    const decision = node.nat(netns).postrouting(packet);
    nat.decided.set(key, decision);
    return decision;
  }
}
