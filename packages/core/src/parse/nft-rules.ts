import type { NamespaceState } from "../model/namespace-state.js";
import { parseNftFilter } from "./nft-filter.js";
import { parseNftNatRules } from "./nft-nat.js";

/**
 * A namespace's NAT and filter rules from `nft -j list ruleset` (checked as it is parsed:
 * it comes from the nft process), with `nft -a list ruleset` as text where the JSON
 * leaves something out (see nftTextNeeded).
 */
export function parseNftRules(nft: unknown, netns: number, nftText?: string): Pick<NamespaceState, "nat" | "filter"> {
  return { nat: parseNftNatRules(nft, netns), filter: parseNftFilter(nft, netns, nftText) };
}
