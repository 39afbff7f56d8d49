import { z } from "zod";
import { lazySchema } from "../model/lazy-schema.js";

/** What the NAT and the filter parsers share of `nft -j list ruleset`: its objects, and how an expression reads. */

export const NftObject = lazySchema(() => z.record(z.string(), z.unknown()));
export type NftObject = z.infer<typeof NftObject>;
const NftRuleset = lazySchema(() => z.object({ nftables: z.array(NftObject) }));

export const ChainJson = lazySchema(() =>
  z.object({
    family: z.string(),
    table: z.string(),
    name: z.string(),
    type: z.string().optional(),
    hook: z.string().optional(),
    prio: z.number().optional(),
    policy: z.string().optional(),
    /** A netdev chain's device: `dev` (one) or, in newer nft, a list. */
    dev: z.union([z.string(), z.array(z.string())]).optional(),
  }),
);
export type ChainJson = z.infer<typeof ChainJson>;

export const RuleJson = lazySchema(() => z.object({ family: z.string(), table: z.string(), chain: z.string(), handle: z.number().optional(), expr: z.array(NftObject).default([]) }));
export type RuleJson = z.infer<typeof RuleJson>;

/** The objects of `nft -j list ruleset` (an empty list when nothing was read), or a clear error when it is something else. */
export function nftObjects(json: unknown): NftObject[] {
  if (json === null || json === undefined || json === "") return [];
  const ruleset = NftRuleset.safeParse(json);
  if (!ruleset.success) throw new Error("nft -j list ruleset: expected an object with an `nftables` array");
  return ruleset.data.nftables;
}

/** The chains of a ruleset, keyed "family table name". */
export function chainsOf(objects: readonly NftObject[]): Map<string, ChainJson> {
  const chains = new Map<string, ChainJson>();
  for (const obj of objects) {
    const chain = ChainJson.safeParse(obj.chain);
    if (chain.success) chains.set(`${chain.data.family} ${chain.data.table} ${chain.data.name}`, chain.data);
  }
  return chains;
}

/** `{payload: {protocol: "ip", field: "saddr"}}` -> "ip saddr"; `{meta: {key: "oifname"}}` -> "oifname"; `{ct: {key: "state"}}` -> "ct state" (only when asked). */
export function fieldName(left: unknown, options: { ct?: boolean } = {}): string | undefined {
  const l = left as Record<string, Record<string, unknown>> | undefined;
  if (l?.payload) return `${String(l.payload.protocol)} ${String(l.payload.field)}`;
  if (l?.meta) return String(l.meta.key);
  if (options.ct && l?.ct && l.ct.dir === undefined) return `ct ${String(l.ct.key)}`;
  return undefined;
}

/** One value as nft prints it: an address, "10.0.0.0/8", "1-1023", a name or number; a set as "{ a, b }". */
export function valueText(right: unknown): string | undefined {
  if (typeof right === "string" || typeof right === "number") return String(right);
  const r = right as Record<string, unknown> | null;
  const prefix = r?.prefix as { addr?: string; len?: number } | undefined;
  if (prefix?.addr !== undefined) return `${prefix.addr}/${prefix.len}`;
  if (Array.isArray(r?.set)) return `{ ${(r.set as unknown[]).map(valueText).join(", ")} }`;
  if (Array.isArray(r?.range)) return (r.range as unknown[]).map(valueText).join("-");
  return undefined;
}

/** Expressions that only count, log or annotate: they do not change what a rule matches. */
export const NEUTRAL_EXPRESSIONS: ReadonlySet<string> = new Set(["counter", "log", "comment"]);

/**
 * iptables-nft (Docker, the CNI plugins, kube-proxy) stores targets and matches that have
 * no native nft form as `xt` expressions, which `nft -j` prints by name only.
 */
export interface XtExpression {
  type: "match" | "target" | "watcher" | string;
  name: string;
}

export function xtOf(arg: unknown): XtExpression {
  const xt = arg as { type?: string; name?: string } | null;
  return { type: xt?.type ?? "", name: xt?.name ?? "" };
}

/** xt matches that only annotate. */
export const XT_NEUTRAL_MATCHES: ReadonlySet<string> = new Set(["comment"]);
