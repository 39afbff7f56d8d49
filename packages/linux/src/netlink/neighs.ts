import type { Neighbor } from "@netatlas/core";
import { ipText, lladdrText } from "./address-text.js";
import type { LinkTable } from "./links.js";
import { parseAttributes, s32, u16, type NetlinkMessage } from "./messages.js";
import { neighStateNames, NTF_EXT_LEARNED, NTF_PROXY, NTF_ROUTER, NUD_NOARP } from "./names.js";

export const RTM_NEWNEIGH = 28;
export const NDMSG_LEN = 12;
const AF_INET = 2;
const AF_INET6 = 10;
const NDA_DST = 1;
const NDA_LLADDR = 2;

/** The ndmsg header of an RTM_NEWNEIGH: family, ifindex, NUD state and NTF flags. */
export function ndmsg(body: Buffer): { family: number; ifindex: number; state: number; flags: number } {
  return { family: body[0] as number, ifindex: s32(body, 4), state: u16(body, 8), flags: body[10] as number };
}

/**
 * `ip neigh show` leaves out NOARP-only and NONE entries (the multicast and loopback
 * ones the kernel keeps for itself) unless they are proxy or externally learned entries.
 */
function shownByIpNeigh(state: number, flags: number): boolean {
  return (state & 0xff & ~NUD_NOARP) !== 0 || (flags & (NTF_PROXY | NTF_EXT_LEARNED)) !== 0;
}

/**
 * One RTM_NEWNEIGH (or RTM_DELNEIGH) of family inet or inet6 as a Neighbor, and whether
 * `ip neigh show` would list it; undefined for other families and for an entry without an address.
 */
export function neighborOf(body: Buffer, table: LinkTable, netns: number): { entry: Neighbor; shown: boolean } | undefined {
  if (body.length < NDMSG_LEN) return undefined;
  const h = ndmsg(body);
  if (h.family !== AF_INET && h.family !== AF_INET6) return undefined;
  const a = parseAttributes(body, NDMSG_LEN);
  const address = ipText(a.get(NDA_DST));
  if (!address) return undefined;
  const lladdr = a.get(NDA_LLADDR);
  const entry: Neighbor = {
    netns,
    family: h.family === AF_INET ? 4 : 6,
    address,
    dev: table.nameOf(h.ifindex),
    lladdr: lladdr ? lladdrText(lladdr, table.get(h.ifindex)?.type) : undefined,
    state: neighStateNames(h.state),
    router: (h.flags & NTF_ROUTER) !== 0,
  };
  return { entry, shown: shownByIpNeigh(h.state, h.flags) };
}

/** ARP and NDP entries as Neighbors, those `ip neigh show` lists. */
export function decodeNeighs(messages: NetlinkMessage[], table: LinkTable, netns: number): Neighbor[] {
  const neighbors: Neighbor[] = [];
  for (const m of messages) {
    if (m.type !== RTM_NEWNEIGH) continue;
    const neighbor = neighborOf(m.body, table, netns);
    if (neighbor?.shown) neighbors.push(neighbor.entry);
  }
  return neighbors;
}
