import type { NamespaceState } from "../model/namespace-state.js";
import { parseBridgeFdb } from "./bridge-fdb.js";
import { parseIpAddresses } from "./ip-addr.js";
import { parseIpLinks } from "./ip-link.js";
import { parseIpNeighbors } from "./ip-neigh.js";
import { parseIpRoutes } from "./ip-route.js";
import { parseNftRules } from "./nft-rules.js";

/** The JSON that iproute2 and nft print for one namespace. */
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
  /** Absent when nft was not read: the state then has no rules. */
  nft?: unknown;
  /** `nft -a list ruleset` as text, when nft's JSON leaves something out (iptables-nft's xt matches; see nftTextNeeded). */
  nftText?: string;
}

/**
 * The `ip -j` reader's adapter into the model: one namespace's iproute2 (and nft) JSON
 * as its kernel state. Every entry is checked against its schema, since the JSON comes
 * from processes whose versions add and omit fields; an entry that does not fit names
 * itself in the error.
 */
export function parseNamespaceJson(json: NamespaceJson, netns: number): NamespaceState {
  return {
    links: parseIpLinks(json.links, netns),
    addresses: parseIpAddresses(json.addrs, netns),
    routes:
      json.routes6 === undefined
        ? parseIpRoutes(json.routes, netns, 4)
        : [...parseIpRoutes(json.routes, netns, 4).filter((r) => r.family === 4), ...parseIpRoutes(json.routes6, netns, 6)],
    neighbors: parseIpNeighbors(json.neighs, netns),
    fdb: parseBridgeFdb(json.fdb, netns),
    ...parseNftRules(json.nft, netns, json.nftText),
  };
}
