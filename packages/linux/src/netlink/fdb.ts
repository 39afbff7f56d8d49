import { ipText, lladdrText } from "./address-text.js";
import type { IpJson } from "./link-info.js";
import type { LinkTable } from "./links.js";
import { attrU16, attrU32, parseAttributes, type NetlinkMessage } from "./messages.js";
import { fdbFlagNames, fdbStateName } from "./names.js";
import { ndmsg, NDMSG_LEN, RTM_NEWNEIGH } from "./neighs.js";

const AF_BRIDGE = 7;
const NDA_DST = 1;
const NDA_LLADDR = 2;
const NDA_VLAN = 5;
const NDA_PORT = 6;
const NDA_VNI = 7;
const NDA_MASTER = 9;

/** AF_BRIDGE neighbour entries (bridge and VXLAN forwarding databases) as `bridge -j fdb show` prints them. */
export function decodeFdb(messages: NetlinkMessage[], table: LinkTable): IpJson[] {
  const entries: IpJson[] = [];
  for (const m of messages) {
    if (m.type !== RTM_NEWNEIGH || m.body.length < NDMSG_LEN) continue;
    const h = ndmsg(m.body);
    if (h.family !== AF_BRIDGE) continue;
    const a = parseAttributes(m.body, NDMSG_LEN);
    const json: IpJson = {};
    const lladdr = a.get(NDA_LLADDR);
    if (lladdr) json.mac = lladdrText(lladdr, table.get(h.ifindex)?.type);
    if (h.ifindex) json.ifname = table.nameOf(h.ifindex);
    const dst = ipText(a.get(NDA_DST));
    if (dst) json.dst = dst;
    const vlan = attrU16(a, NDA_VLAN);
    if (vlan) json.vlan = vlan;
    const port = a.get(NDA_PORT);
    if (port && port.length >= 2) json.port = port.readUInt16BE(0);
    const vni = attrU32(a, NDA_VNI);
    if (vni !== undefined) json.vni = vni;
    json.flags = fdbFlagNames(h.flags);
    const master = attrU32(a, NDA_MASTER);
    if (master) json.master = table.nameOf(master);
    json.state = fdbStateName(h.state);
    entries.push(json);
  }
  return entries;
}
