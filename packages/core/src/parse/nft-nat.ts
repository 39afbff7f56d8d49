import type { NatMatch, NatRule } from "../model/nat.js";
import { chainsOf, fieldName, NEUTRAL_EXPRESSIONS, nftObjects, RuleJson, valueText, XT_NEUTRAL_MATCHES, xtOf } from "./nft-json.js";

const ACTIONS = ["masquerade", "snat", "dnat", "redirect", "accept", "return", "drop", "jump", "goto"] as const;
type Action = (typeof ACTIONS)[number];
const NAT_ACTIONS: ReadonlySet<Action> = new Set(["masquerade", "snat", "dnat", "redirect"]);

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

const XT_TARGETS: Record<string, Action> = { MASQUERADE: "masquerade", SNAT: "snat", DNAT: "dnat", REDIRECT: "redirect", ACCEPT: "accept", RETURN: "return", DROP: "drop" };

function xtAction(arg: unknown): { action?: Action; neutral: boolean } {
  const xt = xtOf(arg);
  if (xt.type === "target" && XT_TARGETS[xt.name]) return { action: XT_TARGETS[xt.name], neutral: true };
  return { neutral: xt.type === "match" && XT_NEUTRAL_MATCHES.has(xt.name) };
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
      const xt = xtAction(expr.xt);
      if (xt.action) action = xt.action;
      if (!xt.neutral) partial = true;
    } else if (key === "match") {
      const m = matchOf(expr);
      if (m) matches.push(m);
      else partial = true;
    } else if (!NEUTRAL_EXPRESSIONS.has(key)) {
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
  const objects = nftObjects(json);
  const chains = chainsOf(objects);
  const natTables = new Set([...chains.values()].filter((c) => c.type === "nat").map((c) => `${c.family} ${c.table}`));
  const rules: NatRule[] = [];
  for (const obj of objects) {
    const parsed = RuleJson.safeParse(obj.rule);
    if (!parsed.success) continue;
    const r = parsed.data;
    const hook = chains.get(`${r.family} ${r.table} ${r.chain}`)?.hook;
    const rule = ruleOf(r, netns, hook);
    if (rule && (natTables.has(`${r.family} ${r.table}`) || NAT_ACTIONS.has(rule.action))) rules.push(rule);
  }
  return rules;
}
