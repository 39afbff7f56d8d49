import { z } from "zod";
import { Address } from "./address.js";
import { FdbEntry } from "./fdb.js";
import { FilterRuleset } from "./filter.js";
import { Link } from "./link.js";
import { NatRule } from "./nat.js";
import { Neighbor } from "./neighbor.js";
import { Route } from "./route.js";
import { lazySchema } from "./lazy-schema.js";

/**
 * One namespace's kernel state in the model, as either reader gives it (rtnetlink
 * decoded, or `ip -j` parsed) and as the live agent keeps it between reads.
 */
export const NamespaceState = lazySchema(() =>
  z.object({
    links: z.array(Link),
    addresses: z.array(Address),
    routes: z.array(Route),
    neighbors: z.array(Neighbor),
    fdb: z.array(FdbEntry),
    nat: z.array(NatRule),
    /** Empty when nft was not read in this namespace. */
    filter: FilterRuleset,
  }),
);
export type NamespaceState = z.infer<typeof NamespaceState>;

/** The rules part of a namespace whose nft ruleset was not read. */
export function noRules(): Pick<NamespaceState, "nat" | "filter"> {
  return { nat: [], filter: { chains: [], rules: [] } };
}
