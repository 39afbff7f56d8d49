import { z } from "zod";
import { NetnsId } from "./names.js";
import { lazySchema } from "./lazy-schema.js";

/**
 * A chain of an nftables table (iptables-nft's tables are nftables tables too). A base
 * chain has a hook, a priority and a policy; a regular chain is only reached by jump/goto.
 */
export const FilterChain = lazySchema(() =>
  z.object({
    netns: NetnsId,
    /** ip, ip6, inet, bridge, netdev (arp is kept but never sees an IP packet). */
    family: z.string(),
    table: z.string(),
    name: z.string(),
    /** prerouting, input, forward, output, postrouting, ingress, egress: only base chains have one. */
    hook: z.string().optional(),
    /** Lower runs first among the base chains of one hook (iptables' filter table is 0). */
    priority: z.number().int().optional(),
    policy: z.enum(["accept", "drop"]).optional(),
    /** filter, route or nat; the trace evaluates filter and route chains (NAT has its own rules). */
    type: z.string().optional(),
    /** A netdev chain's devices (one, or several since Linux 5.5). */
    devices: z.array(z.string()).optional(),
  }),
);
export type FilterChain = z.infer<typeof FilterChain>;

/**
 * One condition of a filter rule, as nft prints it: `field op value`, where the value is
 * one or more alternatives (a set, anonymous or named). A field is an nft expression:
 * "iifname", "oifname", "ip saddr", "ip6 daddr", "tcp dport", "th sport", "l4proto",
 * "ct state", "ct direction", "mark", or a concatenation "ip daddr . l4proto . th dport"
 * whose values are concatenated the same way ("10.96.0.10 . udp . 53").
 */
export const FilterMatch = lazySchema(() =>
  z.object({
    field: z.string(),
    op: z.enum(["==", "!="]),
    /** Addresses, prefixes ("10.0.0.0/8"), ranges ("1-1023"), names with an optional trailing `*`, numbers, ct states. */
    values: z.array(z.string()),
    /** The named set the values were read from (`ip daddr @blocked`). */
    set: z.string().optional(),
    /** A bit mask applied to the field first (`meta mark & 0x4000 == 0x4000`). */
    mask: z.number().int().nonnegative().optional(),
  }),
);
export type FilterMatch = z.infer<typeof FilterMatch>;

export const FilterVerdict = lazySchema(() => z.enum(["accept", "drop", "reject", "jump", "goto", "return", "continue", "queue"]));
export type FilterVerdict = z.infer<typeof FilterVerdict>;

/** A rule of a filter chain: all its matches must hold for its verdict to apply. */
export const FilterRule = lazySchema(() =>
  z.object({
    netns: NetnsId,
    family: z.string(),
    table: z.string(),
    chain: z.string(),
    handle: z.number().int().optional(),
    matches: z.array(FilterMatch),
    /** What happens when it matches; "continue" is a rule without a verdict (counter, log, mark). */
    verdict: FilterVerdict,
    /** The chain of a jump or goto. */
    target: z.string().optional(),
    /** `meta mark set N`: the mark the packet has after this rule; null when set to something netatlas cannot compute. */
    setsMark: z.number().int().nonnegative().nullable().optional(),
    /** The rule as nft prints it (from `nft -a list ruleset` when that was read, else rebuilt from its JSON). */
    text: z.string(),
    /** Some condition or statement is beyond the model: whether the rule matches cannot be decided. */
    opaque: z.boolean(),
    /** Why it is opaque, e.g. "xt match statistic", "limit rate 5/second". */
    reason: z.string().optional(),
  }),
);
export type FilterRule = z.infer<typeof FilterRule>;

/** A namespace's (or node's) filter chains and their rules, as `nft -j list ruleset` has them. */
export const FilterRuleset = lazySchema(() => z.object({ chains: z.array(FilterChain), rules: z.array(FilterRule) }));
export type FilterRuleset = z.infer<typeof FilterRuleset>;

/** "ip filter FORWARD": how nft names a chain. */
export function chainName(c: Pick<FilterChain, "family" | "table" | "name">): string {
  return `${c.family} ${c.table} ${c.name}`;
}
