import type { NatMatch, NatRule } from "../model/nat.js";
import { cidrContainsIp, ipFamily, isIp } from "../net/cidr.js";

/** What the postrouting NAT sees of a packet. */
export interface NatPacket {
  src: string;
  dst: string;
  protocol: string;
  port?: number;
  oif: string;
  iif?: string;
}

export interface NatDecision {
  /** The rule that translated (or dropped) the packet. */
  rule: NatRule;
  /** The chain of rules that led there (jumps), for the hop's rule text. */
  path: NatRule[];
  /** Some condition on the way could not be checked; the decision assumes it matched. */
  unsure: boolean;
}

type Verdict = { kind: "nat" | "drop"; rule: NatRule; path: NatRule[]; unsure: boolean } | { kind: "accept" | "return" | "next"; unsure: boolean };

const glob = (pattern: string, name: string) => (pattern.endsWith("*") ? name.startsWith(pattern.slice(0, -1)) : pattern === name);

/** One value of a set or range or single: an address, a CIDR, a name, a port or a port range. */
function valueMatches(value: string, actual: string | number | undefined, kind: "address" | "name" | "port"): boolean | undefined {
  if (actual === undefined) return undefined;
  if (value.startsWith("{") && value.endsWith("}")) {
    const items = value.slice(1, -1).split(",").map((v) => v.trim());
    const results = items.map((v) => valueMatches(v, actual, kind));
    return results.includes(true) ? true : results.includes(undefined) ? undefined : false;
  }
  if (kind === "address") {
    const [addr] = value.split("/");
    if (!isIp(addr ?? "") || ipFamily(addr as string) !== ipFamily(String(actual))) return undefined;
    return cidrContainsIp(value, String(actual));
  }
  if (kind === "port") {
    const [lo, hi] = value.split("-").map(Number);
    if (lo === undefined || Number.isNaN(lo)) return undefined;
    return Number(actual) >= lo && Number(actual) <= (hi ?? lo);
  }
  return glob(value, String(actual));
}

/** true, false, or undefined when netatlas cannot tell (a set reference, a field it does not model). */
function matchHolds(m: NatMatch, p: NatPacket): boolean | undefined {
  const [, field] = m.field.split(" ");
  let result: boolean | undefined;
  if (field === "saddr") result = valueMatches(m.value, p.src, "address");
  else if (field === "daddr") result = valueMatches(m.value, p.dst, "address");
  else if (field === "dport") result = m.field.startsWith(p.protocol) || m.field.startsWith("th") ? valueMatches(m.value, p.port, "port") : false;
  else if (m.field === "oifname") result = valueMatches(m.value, p.oif, "name");
  else if (m.field === "iifname") result = valueMatches(m.value, p.iif, "name");
  else if (m.field === "l4proto" || m.field === "ip protocol") result = valueMatches(m.value, p.protocol, "name");
  if (result === undefined) return undefined;
  return m.op === "==" ? result : !result;
}

/** The NAT chains of one namespace, grouped once. */
export class NatChains {
  private readonly chains = new Map<string, NatRule[]>();

  constructor(rules: readonly NatRule[]) {
    for (const r of rules) {
      const key = `${r.family} ${r.table} ${r.chain}`;
      const chain = this.chains.get(key);
      if (chain) chain.push(r);
      else this.chains.set(key, [r]);
    }
  }

  private baseChains(hook: string, family: 4 | 6): NatRule[][] {
    const families = family === 4 ? ["ip", "inet"] : ["ip6", "inet"];
    return [...this.chains.values()].filter((rules) => rules[0]?.hook === hook && families.includes(rules[0].family));
  }

  private run(rules: readonly NatRule[], p: NatPacket, path: NatRule[], depth: number): Verdict {
    let unsure = false;
    for (const rule of rules) {
      const held = rule.matches.map((m) => matchHolds(m, p));
      if (held.includes(false)) continue;
      unsure ||= held.includes(undefined) || rule.partial;
      const via = [...path, rule];
      if (rule.action === "jump" || rule.action === "goto") {
        const target = this.chains.get(`${rule.family} ${rule.table} ${rule.target ?? ""}`) ?? [];
        const inner = depth > 16 ? ({ kind: "next", unsure: true } as const) : this.run(target, p, via, depth + 1);
        unsure ||= inner.unsure;
        if (inner.kind === "nat" || inner.kind === "drop" || inner.kind === "accept") return { ...inner, unsure };
        if (rule.action === "goto") return { kind: "return", unsure };
        continue;
      }
      if (rule.action === "accept" || rule.action === "return") return { kind: rule.action, unsure };
      if (rule.action === "drop") return { kind: "drop", rule, path: via, unsure };
      if (rule.action === "masquerade" || rule.action === "snat") return { kind: "nat", rule, path: via, unsure };
    }
    return { kind: "next", unsure };
  }

  /**
   * The source NAT a packet meets on its way out of the namespace: every nat base
   * chain on the postrouting hook runs in turn (accept ends only its own chain),
   * jumps and gotos are followed, and the first masquerade or snat wins, as
   * netfilter binds one NAT per connection.
   */
  postrouting(packet: NatPacket): NatDecision | undefined {
    for (const base of this.baseChains("postrouting", ipFamily(packet.dst))) {
      const verdict = this.run(base, packet, [], 0);
      if (verdict.kind === "nat" || verdict.kind === "drop") return { rule: verdict.rule, path: verdict.path, unsure: verdict.unsure };
    }
    return undefined;
  }
}
