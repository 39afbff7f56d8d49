import type { FilterChain, FilterMatch, FilterRule } from "../model/filter.js";
import { isIp, parseIp } from "../net/cidr.js";
import { compileMatch, type Outcome } from "./match.js";
import type { PacketFacts } from "./packet.js";

/** A rule with its conditions compiled: false as soon as one fails, undefined when one (or the rule's opaque part) cannot be decided. */
export interface CompiledRule {
  rule: FilterRule;
  test(f: PacketFacts): Outcome;
}

/** Compiled on first use: in an indexed chain of thousands of rules, most are never asked. */
function compileRule(rule: FilterRule): CompiledRule {
  let compiled: Array<(f: PacketFacts) => Outcome> | undefined;
  return {
    rule,
    test(f) {
      const tests = (compiled ??= rule.matches.map(compileMatch));
      let unknown = rule.opaque;
      for (const t of tests) {
        const held = t(f);
        if (held === false) return false;
        if (held === undefined) unknown = true;
      }
      return unknown ? undefined : true;
    },
  };
}

/** Below this many rules a chain is simply walked; above it, rules that name one exact address or interface are looked up. */
const INDEXED_FROM = 16;

/** An IPv4 address already in the form parseIp prints (no leading zeros): kube-proxy's thousands need no parsing. */
const PLAIN_IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** The one exact value a rule requires of the packet, if any: such a rule can only match packets that have it. */
function keyOf(m: FilterMatch): string | undefined {
  if (m.op !== "==" || m.values.length !== 1 || m.mask !== undefined) return undefined;
  const [first] = m.field.split(" . ");
  const value = (m.values[0] ?? "").split(" . ")[0] ?? "";
  const address = /^(ip|ip6) (saddr|daddr)$/.exec(first ?? "");
  if (address) {
    const canonical = PLAIN_IPV4.test(value) ? value : isIp(value) ? parseIp(value).toString() : undefined;
    return canonical && `${address[2] === "daddr" ? "d" : "s"}:${canonical}`;
  }
  if (m.field.includes(" . ") || value.endsWith("*")) return undefined;
  if (first === "oifname" || first === "oif") return `o:${value}`;
  if (first === "iifname" || first === "iif") return `i:${value}`;
  return undefined;
}

function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && (a[i] as number) < (b[j] as number))) out.push(a[i++] as number);
    else out.push(b[j++] as number);
  }
  return out;
}

/**
 * A chain compiled once per snapshot. A long chain (kube-proxy's, with thousands of rules
 * each for one service address) keeps its rules that require one exact destination,
 * source or interface in maps, so a packet visits only the rules it could match, in order.
 */
export class CompiledChain {
  readonly rules: CompiledRule[];
  private readonly all: number[];
  private readonly general: number[] = [];
  private readonly byKey = new Map<string, number[]>();

  constructor(
    readonly chain: FilterChain,
    rules: readonly FilterRule[],
  ) {
    this.rules = rules.map(compileRule);
    this.all = this.rules.map((_, i) => i);
    if (rules.length < INDEXED_FROM) return;
    rules.forEach((rule, i) => {
      const key = rule.matches.map(keyOf).find((k) => k !== undefined);
      if (!key) return void this.general.push(i);
      const same = this.byKey.get(key);
      if (same) same.push(i);
      else this.byKey.set(key, [i]);
    });
  }

  /** The positions of the rules the packet could match, in chain order. */
  candidates(f: PacketFacts): readonly number[] {
    if (this.byKey.size === 0) return this.all;
    const keys = [`d:${f.dst}`, `s:${f.src}`, f.oif === undefined ? "" : `o:${f.oif}`, f.iif === undefined ? "" : `i:${f.iif}`];
    let found: readonly number[] = this.general;
    for (const key of keys) {
      const more = this.byKey.get(key);
      if (more) found = mergeSorted(found, more);
    }
    return found;
  }
}
