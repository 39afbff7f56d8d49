import type { FdbEntry } from "@netatlas/core";
import { ipText, lladdrText } from "./address-text.js";
import type { LinkTable } from "./links.js";
import { attrU16, attrU32, parseAttributes, type NetlinkMessage } from "./messages.js";
import { fdbFlagNames, fdbStateName } from "./names.js";
import { ndmsg, NDMSG_LEN, RTM_NEWNEIGH } from "./neighs.js";

export const AF_BRIDGE = 7;
const NDA_DST = 1;
const NDA_LLADDR = 2;
const NDA_VLAN = 5;
const NDA_MASTER = 9;

/** One AF_BRIDGE RTM_NEWNEIGH (or RTM_DELNEIGH) as an FdbEntry; undefined for other families and an entry without a MAC. */
export function fdbEntryOf(body: Buffer, table: LinkTable, netns: number): FdbEntry | undefined {
  if (body.length < NDMSG_LEN) return undefined;
  const h = ndmsg(body);
  if (h.family !== AF_BRIDGE) return undefined;
  const a = parseAttributes(body, NDMSG_LEN);
  const lladdr = a.get(NDA_LLADDR);
  if (!lladdr) return undefined;
  const master = attrU32(a, NDA_MASTER);
  return {
    netns,
    mac: lladdrText(lladdr, table.get(h.ifindex)?.type),
    dev: table.nameOf(h.ifindex),
    master: master ? table.nameOf(master) : undefined,
    vlan: attrU16(a, NDA_VLAN) || undefined,
    dst: ipText(a.get(NDA_DST)),
    state: fdbStateName(h.state),
    flags: fdbFlagNames(h.flags),
  };
}

/** The bridge and VXLAN forwarding databases' entries (`bridge fdb show`) as FdbEntries. */
export function decodeFdb(messages: NetlinkMessage[], table: LinkTable, netns: number): FdbEntry[] {
  const entries: FdbEntry[] = [];
  for (const m of messages) {
    if (m.type !== RTM_NEWNEIGH) continue;
    const entry = fdbEntryOf(m.body, table, netns);
    if (entry) entries.push(entry);
  }
  return entries;
}
