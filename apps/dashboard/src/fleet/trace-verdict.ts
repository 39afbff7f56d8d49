import type { TraceFilterRule, TracePath, TraceRpFilter } from "@netatlas/core";

/** What a rule did to the verdict: it stopped the packet, it would stop it if the undecided rules went the other way, or it is one of those. */
export type VerdictRuleRole = "stops it" | "stops it otherwise" | "undecided";

/** A filter rule of the verdict, placed where a person finds it: node, namespace, family/table/chain, hook, handle. */
export interface VerdictRuleRow {
  role: VerdictRuleRole;
  node: string;
  namespace: string;
  /** "inet lab_fw forward", as `nft list chain` takes it. */
  chain: string;
  hook: string;
  /** Absent when the chain's policy decided. */
  handle?: number;
  text: string;
  /** Why the trace could not decide the rule. */
  reason?: string;
  /** The 1-based number of the hop where the packet met it, as the hop table counts. */
  hop?: number;
}

export interface VerdictRpRow extends Omit<TraceRpFilter, "netns"> {
  namespace: string;
  hop?: number;
}

/** "inet lab_fw forward handle 2: ip saddr 10.244.0.2 drop"; a policy has no handle. */
export function filterRuleText(rule: TraceFilterRule): string {
  return `${rule.family} ${rule.table} ${rule.chain}${rule.handle === undefined ? "" : ` handle ${rule.handle}`}: ${rule.text}`;
}

/** The namespace's label as the path's hops give it (the rule itself carries only the inode), and the first hop there. */
function placeOf(path: TracePath, node: string, netns: number, action?: string): { namespace: string; hop?: number } {
  const at = path.hops.findIndex((h) => h.node === node && h.netns.id === netns && (!action || h.action === action));
  const any = at >= 0 ? at : path.hops.findIndex((h) => h.node === node && h.netns.id === netns);
  return { namespace: any >= 0 ? path.hops[any]!.netns.label : `netns:${netns}`, ...(at >= 0 ? { hop: at + 1 } : {}) };
}

/** The hop of a filter rule: the filter hop that lists it (a rule may sit in several chains' hops, so match by place and handle). */
function hopOfRule(path: TracePath, rule: TraceFilterRule): number | undefined {
  const same = (r: TraceFilterRule) => r.node === rule.node && r.netns === rule.netns && r.family === rule.family && r.table === rule.table && r.chain === rule.chain && r.handle === rule.handle && r.hook === rule.hook;
  const at = path.hops.findIndex((h) => h.filter?.some(same));
  return at >= 0 ? at + 1 : undefined;
}

function row(path: TracePath, role: VerdictRuleRole, rule: TraceFilterRule, fallbackHop?: number): VerdictRuleRow {
  const hop = hopOfRule(path, rule) ?? fallbackHop;
  return {
    role,
    node: rule.node,
    namespace: placeOf(path, rule.node, rule.netns).namespace,
    chain: `${rule.family} ${rule.table} ${rule.chain}`,
    hook: rule.hook,
    ...(rule.handle !== undefined ? { handle: rule.handle } : {}),
    text: rule.text,
    ...(rule.reason ? { reason: rule.reason } : {}),
    ...(hop !== undefined ? { hop } : {}),
  };
}

/**
 * The filter rules behind a path's verdict: for "filtered" the rule (or policy) that
 * stopped it; for "uncertain" the rules the trace could not decide, and what stops the
 * packet if they go the other way. Other verdicts have none.
 */
export function verdictRules(path: TracePath): VerdictRuleRow[] {
  const { verdict } = path;
  if (verdict.kind === "filtered") return verdict.rule ? [row(path, "stops it", verdict.rule)] : [];
  if (verdict.kind !== "uncertain") return [];
  // What stops the packet the other way is met at the verdict's hop, beside the first undecided rule.
  const at = verdict.hop === null ? undefined : verdict.hop + 1;
  return [...(verdict.dependsOn ?? []).map((r) => row(path, "undecided", r)), ...(verdict.rule ? [row(path, "stops it otherwise", verdict.rule, at)] : [])];
}

/** Where the reverse-path check refused the packet ("rp-filtered"), if it did. */
export function verdictRpFilter(path: TracePath): VerdictRpRow | undefined {
  const check = path.verdict.kind === "rp-filtered" ? path.verdict.rpFilter : undefined;
  if (!check) return undefined;
  const { netns, ...rest } = check;
  return { ...rest, ...placeOf(path, check.node, netns, "rp-filter") };
}
