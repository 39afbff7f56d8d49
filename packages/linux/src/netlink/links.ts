import { lladdrText } from "./address-text.js";
import { linkInfo, type IpJson } from "./link-info.js";
import { attrS32, attrU8, attrU32, parseAttributes, s32, u16, u32, text, type Attributes, type NetlinkMessage } from "./messages.js";
import { isUp, linkFlagNames, linkTypeName, operstateName } from "./names.js";

const RTM_NEWLINK = 16;
const IFINFOMSG_LEN = 16;
const IFLA_ADDRESS = 1;
const IFLA_BROADCAST = 2;
const IFLA_IFNAME = 3;
const IFLA_MTU = 4;
const IFLA_LINK = 5;
const IFLA_MASTER = 10;
const IFLA_OPERSTATE = 16;
const IFLA_LINKINFO = 18;
const IFLA_IFALIAS = 20;
const IFLA_LINK_NETNSID = 37;

/** What the other dumps need to know of a link: its name, ARPHRD type and IFF_ flags. */
export interface LinkFacts {
  name: string;
  type: number;
  flags: number;
}

/** The namespace's links by ifindex, for naming devices in addresses, routes, neighbours and FDB entries. */
export class LinkTable {
  constructor(private readonly byIndex: ReadonlyMap<number, LinkFacts>) {}

  get(ifindex: number): LinkFacts | undefined {
    return this.byIndex.get(ifindex);
  }

  /** iproute2 names an ifindex it cannot resolve "ifNN". */
  nameOf(ifindex: number): string {
    return this.byIndex.get(ifindex)?.name ?? `if${ifindex}`;
  }
}

interface RawLink {
  ifindex: number;
  type: number;
  flags: number;
  attrs: Attributes;
  name: string;
}

function rawLinks(messages: NetlinkMessage[]): RawLink[] {
  return messages
    .filter((m) => m.type === RTM_NEWLINK && m.body.length >= IFINFOMSG_LEN)
    .map((m) => {
      const attrs = parseAttributes(m.body, IFINFOMSG_LEN);
      const ifindex = s32(m.body, 4);
      return { ifindex, type: u16(m.body, 2), flags: u32(m.body, 8), attrs, name: text(attrs.get(IFLA_IFNAME)) ?? `if${ifindex}` };
    });
}

/** IFLA_LINK: a name in this namespace, or an index in the namespace IFLA_LINK_NETNSID names. */
function lowerLink(link: RawLink, table: LinkTable): { json: IpJson; lowerDown: boolean } {
  const iflink = attrS32(link.attrs, IFLA_LINK);
  if (iflink === undefined) return { json: {}, lowerDown: false };
  if (iflink === 0) return { json: { link: null }, lowerDown: false };
  if (link.attrs.has(IFLA_LINK_NETNSID)) return { json: { link_index: iflink }, lowerDown: false };
  const lower = table.get(iflink);
  return { json: { link: table.nameOf(iflink) }, lowerDown: !isUp(lower?.flags ?? 0) };
}

function linkJson(link: RawLink, table: LinkTable): IpJson {
  const a = link.attrs;
  const lower = lowerLink(link, table);
  const json: IpJson = { ifindex: link.ifindex, ...lower.json, ifname: link.name, flags: linkFlagNames(link.flags, lower.lowerDown) };
  const mtu = attrU32(a, IFLA_MTU);
  if (mtu !== undefined) json.mtu = mtu;
  const master = attrU32(a, IFLA_MASTER);
  if (master) json.master = table.nameOf(master);
  const operstate = attrU8(a, IFLA_OPERSTATE);
  if (operstate !== undefined) json.operstate = operstateName(operstate);
  json.link_type = linkTypeName(link.type);
  const address = a.get(IFLA_ADDRESS);
  if (address) json.address = lladdrText(address, link.type);
  const broadcast = a.get(IFLA_BROADCAST);
  if (broadcast) json.broadcast = lladdrText(broadcast, link.type);
  const netnsid = attrS32(a, IFLA_LINK_NETNSID);
  if (netnsid !== undefined) json.link_netnsid = netnsid;
  const alias = text(a.get(IFLA_IFALIAS));
  if (alias) json.ifalias = alias;
  const info = a.get(IFLA_LINKINFO);
  if (info) json.linkinfo = linkInfo(info, (i) => table.nameOf(i));
  return json;
}

/** RTM_NEWLINK messages as `ip -j -d link show` prints them, and the table the other decoders name devices by. */
export function decodeLinks(messages: NetlinkMessage[]): { links: IpJson[]; table: LinkTable } {
  const raw = rawLinks(messages);
  const table = new LinkTable(new Map(raw.map((l) => [l.ifindex, { name: l.name, type: l.type, flags: l.flags }])));
  return { links: raw.map((l) => linkJson(l, table)), table };
}
