import type { Address } from "../model/address.js";
import type { FdbEntry } from "../model/fdb.js";
import type { FilterRuleset } from "../model/filter.js";
import type { Link } from "../model/link.js";
import type { NatRule } from "../model/nat.js";
import type { Neighbor } from "../model/neighbor.js";
import type { Route } from "../model/route.js";
import { parseBridgeFdb } from "./bridge-fdb.js";
import { parseIpAddresses } from "./ip-addr.js";
import { parseIpLinks } from "./ip-link.js";
import { parseIpNeighbors } from "./ip-neigh.js";
import { parseIpRoutes } from "./ip-route.js";
import { parseNftFilter } from "./nft-filter.js";
import { parseNftNatRules } from "./nft-nat.js";
import type { EntryCheck } from "./parse-list.js";

/** The JSON that iproute2 and nft print for one namespace (or the same shapes decoded from rtnetlink). */
export interface NamespaceJson {
  links: unknown;
  addrs: unknown;
  routes: unknown;
  /**
   * `ip -6 -j route` when read separately. iproute2 6.x prints both families for
   * `route show table all`, older ones only IPv4; when this is given, IPv6 comes from here alone.
   */
  routes6?: unknown;
  neighs: unknown;
  fdb?: unknown;
  nft?: unknown;
  /** `nft -a list ruleset` as text, when nft's JSON leaves something out (iptables-nft's xt matches; see nftTextNeeded). */
  nftText?: string;
}

export interface NamespaceState {
  links: Link[];
  addresses: Address[];
  routes: Route[];
  neighbors: Neighbor[];
  fdb: FdbEntry[];
  nat: NatRule[];
  /** Empty when nft was not read in this namespace. */
  filter: FilterRuleset;
}

/**
 * One namespace's kernel state in the model. `check` applies to the iproute2-shaped
 * parts (links, addresses, routes, neighbours, FDB): "none" when netatlas's netlink
 * decoders built them. nft's JSON comes from the nft process and is always checked.
 */
export function parseNamespaceJson(json: NamespaceJson, netns: number, check: EntryCheck = "each"): NamespaceState {
  return {
    links: parseIpLinks(json.links, netns, check),
    addresses: parseIpAddresses(json.addrs, netns, check),
    routes:
      json.routes6 === undefined
        ? parseIpRoutes(json.routes, netns, 4, check)
        : [...parseIpRoutes(json.routes, netns, 4, check).filter((r) => r.family === 4), ...parseIpRoutes(json.routes6, netns, 6, check)],
    neighbors: parseIpNeighbors(json.neighs, netns, check),
    fdb: parseBridgeFdb(json.fdb, netns, check),
    nat: parseNftNatRules(json.nft, netns),
    filter: parseNftFilter(json.nft, netns, json.nftText),
  };
}
