import type { FilterChain, FilterMatch, FilterRule, FilterRuleset, FilterVerdict } from "../model/filter.js";
import { filterMatchOf, elementText, matchField, type NamedSets } from "./nft-filter-match.js";
import { chainsOf, NEUTRAL_EXPRESSIONS, nftObjects, RuleJson, xtOf, XT_NEUTRAL_MATCHES, type ChainJson, type NftObject } from "./nft-json.js";
import { parseNftText, ruleKey, type NftText } from "./nft-text.js";
import { xtMatchFromText } from "./xt-from-text.js";

const VERDICTS: ReadonlySet<string> = new Set(["accept", "drop", "reject", "jump", "goto", "return", "continue", "queue"]);

/** Statements that do not decide whether or how a packet passes: dynamic sets, conntrack helpers, flow offload, copies. */
const NEUTRAL_STATEMENTS: ReadonlySet<string> = new Set([...NEUTRAL_EXPRESSIONS, "set", "map", "notrack", "flow", "dup", "ct helper", "ct timeout", "ct expectation", "secmark"]);

const XT_VERDICTS: Record<string, FilterVerdict> = { ACCEPT: "accept", DROP: "drop", REJECT: "reject", RETURN: "return", NFQUEUE: "queue", QUEUE: "queue" };
/** xt targets that change the packet or log it and let it go on (MARK and CONNMARK change the mark: see setsMark). */
const XT_CONTINUING = new Set(["LOG", "NFLOG", "ULOG", "TCPMSS", "CHECKSUM", "CT", "NOTRACK", "TRACE", "DSCP", "TOS", "CLASSIFY", "TTL", "HL", "AUDIT", "SET", "MARK", "CONNMARK", "CONNSECMARK", "SECMARK", "IDLETIMER", "LED"]);

/** What a rule's expressions add up to, before its verdict map (if any) is expanded. */
interface RuleParts {
  matches: FilterMatch[];
  verdict: FilterVerdict;
  target?: string;
  setsMark?: number | null;
  vmap?: { key: unknown; data: unknown };
  reasons: string[];
}

function verdictOf(key: string, arg: unknown): { verdict: FilterVerdict; target?: string } | undefined {
  if (!VERDICTS.has(key)) return undefined;
  const target = (arg as { target?: unknown } | null)?.target;
  return { verdict: key as FilterVerdict, ...(typeof target === "string" ? { target } : {}) };
}

function xtStatement(parts: RuleParts, arg: unknown, text: string | undefined): void {
  const xt = xtOf(arg);
  if (xt.type === "match") {
    if (XT_NEUTRAL_MATCHES.has(xt.name)) return;
    const translated = xtMatchFromText(xt.name, text);
    if (translated) parts.matches.push(...translated);
    else parts.reasons.push(`xt match ${xt.name}`);
    return;
  }
  if (xt.type !== "target") return void parts.reasons.push(`xt ${xt.type} ${xt.name}`);
  const verdict = XT_VERDICTS[xt.name];
  if (verdict) parts.verdict = verdict;
  else if (xt.name === "MARK" || xt.name === "CONNMARK") parts.setsMark = null;
  // An unknown target is taken for one that lets the packet go on; the reason says netatlas could not tell.
  else if (!XT_CONTINUING.has(xt.name)) parts.reasons.push(`xt target ${xt.name}`);
}

function mangle(parts: RuleParts, arg: unknown): void {
  const m = arg as { key?: { meta?: { key?: string } }; value?: unknown } | null;
  if (m?.key?.meta?.key !== "mark") return;
  parts.setsMark = typeof m.value === "number" ? m.value : null;
}

function partsOf(rule: RuleJson, sets: NamedSets, text: string | undefined): RuleParts {
  const parts: RuleParts = { matches: [], verdict: "continue", reasons: [] };
  for (const expr of rule.expr) {
    const key = Object.keys(expr)[0] ?? "";
    const arg = expr[key];
    const verdict = verdictOf(key, arg);
    if (verdict) Object.assign(parts, verdict);
    else if (key === "match") {
      const m = filterMatchOf(arg as object, rule.family, rule.table, sets);
      if (m) parts.matches.push(m);
      else parts.reasons.push(`a match on ${JSON.stringify((arg as { left?: unknown }).left)}`);
    } else if (key === "xt") xtStatement(parts, arg, text);
    else if (key === "mangle") mangle(parts, arg);
    else if (key === "vmap") parts.vmap = arg as RuleParts["vmap"];
    else if (key === "limit") {
      const l = arg as { rate?: number; per?: string };
      parts.reasons.push(`limit rate ${l.rate}/${l.per}`);
    } else if (!NEUTRAL_STATEMENTS.has(key)) parts.reasons.push(key);
  }
  return parts;
}

const quoted = (field: string, value: string) => (field.endsWith("ifname") ? `"${value}"` : value);

/** The rule as nft prints it, near enough, when `nft -a list ruleset` was not read. */
function builtText(parts: RuleParts): string {
  const matches = parts.matches.map((m) => {
    const values = m.set ? `@${m.set}` : m.values.length === 1 ? quoted(m.field, m.values[0] ?? "") : `{ ${m.values.map((v) => quoted(m.field, v)).join(", ")} }`;
    return `${m.field}${m.mask !== undefined ? ` & 0x${m.mask.toString(16)}` : ""} ${m.op === "!=" ? "!= " : ""}${values}`;
  });
  const mark = parts.setsMark === undefined ? [] : [`meta mark set ${parts.setsMark === null ? "?" : `0x${parts.setsMark.toString(16)}`}`];
  const verdict = parts.verdict === "continue" ? [] : [parts.target ? `${parts.verdict} ${parts.target}` : parts.verdict];
  return [...matches, ...parts.reasons.filter((r) => !r.startsWith("a match")), ...mark, ...verdict].join(" ");
}

/** A verdict map's elements as (key, verdict) pairs: `meta l4proto vmap { tcp : jump x, udp : accept }`. */
function vmapElements(vmap: { data: unknown }, rule: RuleJson, sets: NamedSets): Array<[unknown, unknown]> | undefined {
  const data = vmap.data as { set?: unknown[] } | string;
  const elements = typeof data === "string" && data.startsWith("@") ? sets.get(`${rule.family} ${rule.table} ${data.slice(1)}`)?.elements : Array.isArray((data as { set?: unknown[] }).set) ? (data as { set: unknown[] }).set : undefined;
  return elements?.every((e) => Array.isArray(e) && e.length === 2) ? (elements as Array<[unknown, unknown]>) : undefined;
}

function rulesOf(rule: RuleJson, netns: number, sets: NamedSets, text: NftText): FilterRule[] {
  const printed = text.rules.get(ruleKey(rule.family, rule.table, rule.chain, rule.handle));
  const parts = partsOf(rule, sets, printed);
  const base = { netns, family: rule.family, table: rule.table, chain: rule.chain, ...(rule.handle !== undefined ? { handle: rule.handle } : {}) };
  const textOf = printed ?? builtText(parts);
  const reason = parts.reasons.length ? { reason: parts.reasons.join("; ") } : {};
  const common = { ...base, ...(parts.setsMark !== undefined ? { setsMark: parts.setsMark } : {}), opaque: parts.reasons.length > 0, ...reason };
  if (!parts.vmap) return [{ ...common, matches: parts.matches, verdict: parts.verdict, ...(parts.target ? { target: parts.target } : {}), text: textOf }];
  // A verdict map is one rule per element: its keys are distinct, so at most one applies, as in the lookup.
  const key = matchField(parts.vmap.key);
  const elements = vmapElements(parts.vmap, rule, sets);
  if (!key || key.mask !== undefined || !elements) return [{ ...common, matches: parts.matches, verdict: "continue", text: textOf, opaque: true, reason: [...parts.reasons, "a verdict map netatlas cannot read"].join("; ") }];
  return elements.flatMap(([k, v]) => {
    const value = elementText(k);
    const data = v && typeof v === "object" ? Object.entries(v)[0] : undefined;
    const verdict = data ? verdictOf(data[0], data[1]) : undefined;
    if (value === undefined || !verdict) return [];
    return [{ ...common, matches: [...parts.matches, { field: key.field, op: "==" as const, values: [value] }], ...verdict, text: `${textOf} [${value} : ${verdict.target ? `${verdict.verdict} ${verdict.target}` : verdict.verdict}]` }];
  });
}

function namedSets(objects: readonly NftObject[]): NamedSets {
  const sets: NamedSets = new Map();
  for (const obj of objects) {
    const s = (obj.set ?? obj.map) as { family?: string; table?: string; name?: string; elem?: unknown[] } | undefined;
    if (s?.family && s.table && s.name) sets.set(`${s.family} ${s.table} ${s.name}`, { elements: s.elem ?? [] });
  }
  return sets;
}

function chainOf(c: ChainJson, netns: number, text: NftText): FilterChain {
  const devices = c.dev === undefined ? text.devices.get(`${c.family} ${c.table} ${c.name}`) : typeof c.dev === "string" ? [c.dev] : c.dev;
  return {
    netns,
    family: c.family,
    table: c.table,
    name: c.name,
    ...(c.hook ? { hook: c.hook } : {}),
    ...(c.prio !== undefined ? { priority: c.prio } : {}),
    ...(c.policy === "accept" || c.policy === "drop" ? { policy: c.policy } : {}),
    ...(c.type ? { type: c.type } : {}),
    ...(devices ? { devices } : {}),
  };
}

/**
 * The filter side of `nft -j list ruleset` (iptables-nft's tables included): every chain
 * of every table that has a filter or route base chain, and their rules. NAT base chains
 * are left to the NAT parser. `text` is `nft -a list ruleset` when it was read: it gives
 * each rule's text as nft prints it and what iptables-nft's `xt` matches say. A rule the
 * model cannot hold is kept, opaque, with its reason.
 */
export function parseNftFilter(json: unknown, netns: number, text?: string): FilterRuleset {
  const objects = nftObjects(json);
  const chains = chainsOf(objects);
  const filterTables = new Set([...chains.values()].filter((c) => c.hook && (c.type === "filter" || c.type === "route")).map((c) => `${c.family} ${c.table}`));
  const kept = [...chains.values()].filter((c) => filterTables.has(`${c.family} ${c.table}`) && c.type !== "nat");
  const keptNames = new Set(kept.map((c) => `${c.family} ${c.table} ${c.name}`));
  const printed = parseNftText(text);
  const sets = namedSets(objects);
  const rules: FilterRule[] = [];
  for (const obj of objects) {
    const parsed = RuleJson.safeParse(obj.rule);
    if (parsed.success && keptNames.has(`${parsed.data.family} ${parsed.data.table} ${parsed.data.chain}`)) rules.push(...rulesOf(parsed.data, netns, sets, printed));
  }
  return { chains: kept.map((c) => chainOf(c, netns, printed)), rules };
}

/** Whether `nft -a list ruleset` (text) would tell more than the JSON: iptables-nft's xt matches, a netdev chain without its device. */
export function nftTextNeeded(json: unknown): boolean {
  const objects = nftObjects(json);
  const hasXt = objects.some((o) => (o.rule as { expr?: NftObject[] } | undefined)?.expr?.some((e) => "xt" in e && xtOf(e.xt).type === "match" && !XT_NEUTRAL_MATCHES.has(xtOf(e.xt).name)));
  return hasXt || [...chainsOf(objects).values()].some((c) => c.family === "netdev" && c.hook !== undefined && c.dev === undefined);
}
