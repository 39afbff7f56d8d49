import type { FdbEntry, Neighbor, Route } from "@netatlas/core";
import { AF_BRIDGE, fdbEntryOf } from "./fdb.js";
import type { LinkTable } from "./links.js";
import { attrS32, parseAttributes, type NetlinkMessage } from "./messages.js";
import type { ConfiguredNames } from "./names.js";
import { ndmsg, neighborOf, NDMSG_LEN, RTM_NEWNEIGH } from "./neighs.js";
import { routeOf, RTM_NEWROUTE } from "./routes.js";

const RTM_NEWLINK = 16;
const RTM_DELLINK = 17;
const RTM_NEWADDR = 20;
const RTM_DELADDR = 21;
const RTM_DELROUTE = 25;
const RTM_DELNEIGH = 29;
const RTM_NEWNSID = 88;
const RTM_DELNSID = 89;
const NLM_F_REPLACE = 0x100;
const RTGENMSG_LEN = 4;
const NETNSA_NSID = 1;

/**
 * What one notification means for a namespace's state, in the model's terms:
 * - an entry that is now as given (`removed: false`) or is gone (`removed: true`);
 *   `replace` for a route that took the place of any with its table, destination and metric;
 * - "reread": the namespace must be read again, because the message has effects the
 *   kernel does not announce. A link going down or away drops its IPv4 routes without a
 *   word, a rename renames the device of its routes, neighbours and addresses, and an
 *   address takes its prefix routes (and, for IPv6, multicast FDB entries) with it;
 * - "nsid": an nsid given (or taken back) by the namespace the message came from.
 */
export type KernelChange =
  | { kind: "route"; removed: boolean; replace: boolean; entry: Route }
  | { kind: "neighbor"; removed: boolean; entry: Neighbor }
  | { kind: "fdb"; removed: boolean; entry: FdbEntry }
  | { kind: "reread"; cause: "link" | "address" }
  | { kind: "nsid"; removed: boolean; nsid: number };

function routeChange(m: NetlinkMessage, netns: number, table: LinkTable, names: ConfiguredNames): KernelChange | undefined {
  const entry = routeOf(m.body, table, names, netns);
  // Undefined for what a route dump leaves out too: cached clones and multicast forwarding entries.
  if (!entry) return undefined;
  return { kind: "route", removed: m.type === RTM_DELROUTE, replace: m.type === RTM_NEWROUTE && (m.flags & NLM_F_REPLACE) !== 0, entry };
}

function neighbourChange(m: NetlinkMessage, netns: number, table: LinkTable): KernelChange | undefined {
  if (m.body.length < NDMSG_LEN) return undefined;
  if (ndmsg(m.body).family === AF_BRIDGE) {
    const entry = fdbEntryOf(m.body, table, netns);
    return entry && { kind: "fdb", removed: m.type === RTM_DELNEIGH, entry };
  }
  const neighbor = neighborOf(m.body, table, netns);
  // An entry that went to a state `ip neigh show` hides (NONE, NOARP alone) is gone from a dump too.
  return neighbor && { kind: "neighbor", removed: m.type === RTM_DELNEIGH || !neighbor.shown, entry: neighbor.entry };
}

function nsidChange(m: NetlinkMessage): KernelChange | undefined {
  const nsid = attrS32(parseAttributes(m.body, RTGENMSG_LEN), NETNSA_NSID);
  return nsid === undefined ? undefined : { kind: "nsid", removed: m.type === RTM_DELNSID, nsid };
}

/**
 * Decodes one notification of the namespace `netns` into the model with the dumps'
 * decoders, naming devices by the namespace's link table; undefined for a message that
 * changes nothing a snapshot shows.
 */
export function decodeKernelChange(m: NetlinkMessage, netns: number, table: LinkTable, names: ConfiguredNames): KernelChange | undefined {
  switch (m.type) {
    case RTM_NEWROUTE:
    case RTM_DELROUTE:
      return routeChange(m, netns, table, names);
    case RTM_NEWNEIGH:
    case RTM_DELNEIGH:
      return neighbourChange(m, netns, table);
    case RTM_NEWLINK:
    case RTM_DELLINK:
      // AF_BRIDGE link messages tell of a port's bridge state (STP, learning), which no link dump shows.
      return m.body[0] === AF_BRIDGE ? undefined : { kind: "reread", cause: "link" };
    case RTM_NEWADDR:
    case RTM_DELADDR:
      return { kind: "reread", cause: "address" };
    case RTM_NEWNSID:
    case RTM_DELNSID:
      return nsidChange(m);
    default:
      return undefined;
  }
}
