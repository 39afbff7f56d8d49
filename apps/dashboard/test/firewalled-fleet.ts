import type { FilterRule, NodeSnapshot, RpFilterMode } from "@netatlas/core";
import { labFleet } from "./lab-fleet";

export const FIREWALL_TABLE = "lab_fw";

type RuleSpec = Pick<FilterRule, "matches" | "verdict" | "text"> & Partial<Pick<FilterRule, "opaque" | "reason">>;

const hostOf = (s: NodeSnapshot) => s.namespaces.find((n) => n.kind === "host")!.id;
const copy = (fleet: NodeSnapshot[]) => structuredClone(fleet);

/** Drops what comes from `ip` (as `nft add rule inet lab_fw forward ip saddr IP drop`). */
export const dropFrom = (ip: string): RuleSpec => ({ matches: [{ field: "ip saddr", op: "==", values: [ip] }], verdict: "drop", text: `ip saddr ${ip} drop` });

/** A drop the trace cannot decide (iptables' statistic match, kept opaque). */
export const randomDrop: RuleSpec = { matches: [], verdict: "drop", text: "xt match statistic drop", opaque: true, reason: "xt match statistic" };

/**
 * The recorded lab fleet with one forward base chain, `inet lab_fw forward`, in the host
 * namespace of each given node, holding its rules (handles from 2, as nft numbers them).
 */
export function withForwardRules(rulesByNode: Record<string, RuleSpec[]>, fleet = labFleet()): NodeSnapshot[] {
  return copy(fleet).map((s) => {
    const specs = rulesByNode[s.node];
    if (!specs) return s;
    const netns = hostOf(s);
    const rules: FilterRule[] = specs.map((r, i) => ({ netns, family: "inet", table: FIREWALL_TABLE, chain: "forward", handle: 2 + i, opaque: false, ...r }));
    return { ...s, filter: { chains: [{ netns, family: "inet", table: FIREWALL_TABLE, name: "forward", hook: "forward", priority: 0, policy: "accept", type: "filter" }], rules } };
  });
}

/** The fleet with rp_filter set on `all` of a node's host namespace, and a route added there. */
export function withRpFilter(node: string, mode: RpFilterMode, route: { dst: string; via: string; dev: string }, fleet = labFleet()): NodeSnapshot[] {
  return copy(fleet).map((s) => {
    if (s.node !== node) return s;
    const netns = hostOf(s);
    return {
      ...s,
      namespaces: s.namespaces.map((n) => (n.id === netns ? { ...n, rpFilter: { all: mode, default: 0, interfaces: {} } } : n)),
      routes: [...s.routes, { netns, family: 4, table: "main", type: "unicast", dst: route.dst, via: route.via, dev: route.dev, protocol: "static", scope: "global", flags: [] }],
    };
  });
}
