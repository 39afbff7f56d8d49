import { z } from "zod";
import type { NatMatch, NatRule } from "../model/nat.js";
import { lazySchema } from "../model/lazy-schema.js";

const NftObject = lazySchema(() => z.record(z.string(), z.unknown()));
const NftRuleset = lazySchema(() => z.object({ nftables: z.array(NftObject) }));

const ChainJson = lazySchema(() => z.object({ family: z.string(), table: z.string(), name: z.string(), type: z.string().optional(), hook: z.string().optional() }));
const RuleJson = lazySchema(() => z.object({ family: z.string(), table: z.string(), chain: z.string(), handle: z.number().optional(), expr: z.array(NftObject).default([]) }));
type RuleJson = z.infer<typeof RuleJson>;

const ACTIONS = ["masquerade", "snat", "dnat", "redirect", "accept", "return", "drop", "jump", "goto"] as const;
type Action = (typeof ACTIONS)[number];
const NAT_ACTIONS: ReadonlySet<Action> = new Set(["masquerade", "snat", "dnat", "redirect"]);

/** `{payload: {protocol: "ip", field: "saddr"}}` -> "ip saddr"; `{meta: {key: "oifname"}}` -> "oifname". */
function fieldName(left: unknown): string | undefined {
  const l = left as Record<string, Record<string, unknown>> | undefined;
  if (l?.payload) return `${String(l.payload.protocol)} ${String(l.payload.field)}`;
  if (l?.meta) return String(l.meta.key);
  return undefined;
}

function valueText(right: unknown): string | undefined {
  if (typeof right === "string" || typeof right === "number") return String(right);
  const r = right as Record<string, unknown> | null;
  const prefix = r?.prefix as { addr?: string; len?: number } | undefined;
  if (prefix?.addr !== undefined) return `${prefix.addr}/${prefix.len}`;
  if (Array.isArray(r?.set)) return `{ ${(r.set as unknown[]).map(valueText).join(", ")} }`;
  if (Array.isArray(r?.range)) return (r.range as unknown[]).map(valueText).join("-");
  return undefined;
}

function matchOf(expr: Record<string, unknown>): NatMatch | undefined {
  const m = expr.match as { op?: string; left?: unknown; right?: unknown } | undefined;
  const field = fieldName(m?.left);
  const value = valueText(m?.right);
  if (!m || !field || value === undefined) return undefined;
  if (m.op === "==" || m.op === "in") return { field, op: "==", value };
  if (m.op === "!=") return { field, op: "!=", value };
  return undefined;
}

function targetOf(action: Action, arg: unknown): string | undefined {
  const a = arg as Record<string, unknown> | null;
  if (action === "jump" || action === "goto") return typeof a?.target === "string" ? a.target : undefined;
  if (a?.addr === undefined) return undefined;
  return a.port === undefined ? String(a.addr) : `${String(a.addr)}:${String(a.port)}`;
}

/** Expressions that only count or log: they do not change what a rule matches. */
const NEUTRAL = new Set(["counter", "log", "comment"]);

/**
 * iptables-nft (Docker, the CNI plugins) stores targets and matches that have no
 * native nft form as `xt` expressions, which `nft -j` prints by name only.
 */
const XT_TARGETS: Record<string, Action> = { MASQUERADE: "masquerade", SNAT: "snat", DNAT: "dnat", REDIRECT: "redirect", ACCEPT: "accept", RETURN: "return", DROP: "drop" };
const XT_NEUTRAL_MATCHES = new Set(["comment"]);

function xtOf(arg: unknown): { action?: Action; neutral: boolean } {
  const xt = arg as { type?: string; name?: string } | null;
  if (xt?.type === "target" && xt.name && XT_TARGETS[xt.name]) return { action: XT_TARGETS[xt.name], neutral: true };
  return { neutral: xt?.type === "match" && XT_NEUTRAL_MATCHES.has(xt.name ?? "") };
}

function ruleOf(rule: RuleJson, netns: number, hook: string | undefined): NatRule | undefined {
  const matches: NatMatch[] = [];
  let partial = false;
  let action: Action | undefined;
  let target: string | undefined;
  for (const expr of rule.expr) {
    const key = Object.keys(expr)[0] ?? "";
    const act = ACTIONS.find((a) => a === key);
    if (act) {
      action = act;
      target = targetOf(act, expr[key]);
    } else if (key === "xt") {
      const xt = xtOf(expr.xt);
      if (xt.action) action = xt.action;
      if (!xt.neutral) partial = true;
    } else if (key === "match") {
      const m = matchOf(expr);
      if (m) matches.push(m);
      else partial = true;
    } else if (!NEUTRAL.has(key)) {
      partial = true;
    }
  }
  if (!action) return undefined;
  const text = [...matches.map((m) => `${m.field} ${m.op === "!=" ? "!= " : ""}${m.value}`), action, target ?? ""].join(" ").trim();
  return { netns, family: rule.family, table: rule.table, chain: rule.chain, handle: rule.handle, hook, action, target, matches, text, partial };
}

/**
 * Picks the NAT rules out of `nft -j list ruleset`: every rule of a table that has
 * a nat base chain (Docker's and CNI's jump chains live there too, as iptables-nft
 * writes them), and NAT statements anywhere else.
 */
export function parseNftNatRules(json: unknown, netns: number): NatRule[] {
  if (json === null || json === undefined || json === "") return [];
  const ruleset = NftRuleset.safeParse(json);
  if (!ruleset.success) throw new Error("nft -j list ruleset: expected an object with an `nftables` array");
  const chains = new Map<string, z.infer<typeof ChainJson>>();
  const natTables = new Set<string>();
  for (const obj of ruleset.data.nftables) {
    const chain = ChainJson.safeParse(obj.chain);
    if (!chain.success) continue;
    chains.set(`${chain.data.family} ${chain.data.table} ${chain.data.name}`, chain.data);
    if (chain.data.type === "nat") natTables.add(`${chain.data.family} ${chain.data.table}`);
  }
  const rules: NatRule[] = [];
  for (const obj of ruleset.data.nftables) {
    const parsed = RuleJson.safeParse(obj.rule);
    if (!parsed.success) continue;
    const r = parsed.data;
    const hook = chains.get(`${r.family} ${r.table} ${r.chain}`)?.hook;
    const rule = ruleOf(r, netns, hook);
    if (rule && (natTables.has(`${r.family} ${r.table}`) || NAT_ACTIONS.has(rule.action))) rules.push(rule);
  }
  return rules;
}
