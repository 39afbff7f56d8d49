import { z } from "zod";
import { NetnsId } from "./names.js";
import { lazySchema } from "./lazy-schema.js";

/** One condition of a NAT rule, e.g. `ip saddr == 10.244.0.0/16`. */
export const NatMatch = lazySchema(() =>
  z.object({
    field: z.string(),
    op: z.enum(["==", "!="]),
    value: z.string(),
  }),
);
export type NatMatch = z.infer<typeof NatMatch>;

export const NatRule = lazySchema(() =>
  z.object({
    netns: NetnsId,
    family: z.string(),
    table: z.string(),
    chain: z.string(),
    handle: z.number().int().optional(),
    /** The hook of the rule's chain when it is a base chain (postrouting, prerouting, output, input). */
    hook: z.string().optional(),
    /** What the rule does when it matches; jump/goto continue in `target`. */
    action: z.enum(["masquerade", "snat", "dnat", "redirect", "accept", "return", "drop", "jump", "goto"]),
    /** SNAT/DNAT address (and port), or the chain of a jump/goto. */
    target: z.string().optional(),
    matches: z.array(NatMatch),
    /** The rule as nft would print it, roughly. */
    text: z.string(),
    /** Conditions the parser did not understand: the rule may match less than `matches` say. */
    partial: z.boolean(),
  }),
);
export type NatRule = z.infer<typeof NatRule>;
