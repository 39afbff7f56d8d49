import { linkKind, type Link } from "@netatlas/core";
import { lladdrText } from "./address-text.js";
import { linkInfo } from "./link-info.js";
import { attrS32, attrU8, attrU32, parseAttributes, s32, u16, u32, text, type Attributes, type NetlinkMessage } from "./messages.js";
import { isUp, linkFlagNames, operstateName } from "./names.js";

const RTM_NEWLINK = 16;
const IFINFOMSG_LEN = 16;
const ARPHRD_ETHER = 1;
const ARPHRD_LOOPBACK = 772;
const IFLA_ADDRESS = 1;
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

  /** iproute2 names an ifindex it cannot resolve "ifNN"; so does the model. */
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

/**
 * IFLA_LINK: a veth's peer or a device's lower link, by ifindex; in the namespace
 * IFLA_LINK_NETNSID names when that is present, else in this one, where a lower link
 * that is down makes iproute2 print M-DOWN (the model keeps its flag names).
 */
function lowerLink(link: RawLink, table: LinkTable): { linkIndex?: number; lowerDown: boolean } {
  const iflink = attrS32(link.attrs, IFLA_LINK);
  if (!iflink) return { lowerDown: false };
  if (link.attrs.has(IFLA_LINK_NETNSID)) return { linkIndex: iflink, lowerDown: false };
  return { linkIndex: iflink, lowerDown: !isUp(table.get(iflink)?.flags ?? 0) };
}

function linkOf(link: RawLink, table: LinkTable, netns: number): Link {
  const a = link.attrs;
  const lower = lowerLink(link, table);
  const info = a.get(IFLA_LINKINFO);
  const { driver, vxlan } = info ? linkInfo(info, (i) => table.nameOf(i)) : {};
  const operstate = attrU8(a, IFLA_OPERSTATE);
  const address = a.get(IFLA_ADDRESS);
  const master = attrU32(a, IFLA_MASTER);
  return {
    netns,
    ifindex: link.ifindex,
    name: link.name,
    kind: linkKind(driver, link.type === ARPHRD_LOOPBACK),
    driver,
    mtu: attrU32(a, IFLA_MTU) ?? 0,
    state: operstate === undefined ? "UNKNOWN" : operstateName(operstate),
    flags: linkFlagNames(link.flags, lower.lowerDown),
    // The model's MAC is an Ethernet address; other link types' "addresses" (a tunnel's endpoint) are not.
    mac: link.type === ARPHRD_ETHER && address ? lladdrText(address, link.type) : undefined,
    alias: text(a.get(IFLA_IFALIAS)) || undefined,
    // A master this dump does not hold (gone meanwhile) is no link of the snapshot's.
    master: master && table.get(master) ? master : undefined,
    linkIndex: lower.linkIndex,
    linkNetnsid: attrS32(a, IFLA_LINK_NETNSID),
    vxlan,
  };
}

/** RTM_NEWLINK messages of the namespace `netns` as Links, and the table the other decoders name devices by. */
export function decodeLinks(messages: NetlinkMessage[], netns: number): { links: Link[]; table: LinkTable } {
  const raw = rawLinks(messages);
  const table = new LinkTable(new Map(raw.map((l) => [l.ifindex, { name: l.name, type: l.type, flags: l.flags }])));
  return { links: raw.map((l) => linkOf(l, table, netns)), table };
}
