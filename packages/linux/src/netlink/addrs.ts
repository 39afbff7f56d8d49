import type { Address, Link } from "@netatlas/core";
import { ipText } from "./address-text.js";
import type { LinkTable } from "./links.js";
import { parseAttributes, u32, type NetlinkMessage } from "./messages.js";
import { scopeName, type ConfiguredNames } from "./names.js";

const RTM_NEWADDR = 20;
const IFADDRMSG_LEN = 8;
const AF_INET = 2;
const AF_INET6 = 10;
const IFA_ADDRESS = 1;
const IFA_LOCAL = 2;
const IFA_BROADCAST = 4;

/** One RTM_NEWADDR as an Address; its address is IFA_LOCAL (a point-to-point link's IFA_ADDRESS is the peer's). */
function addressOf(body: Buffer, table: LinkTable, names: ConfiguredNames, netns: number): Address | undefined {
  const family = body[0];
  if (family !== AF_INET && family !== AF_INET6) return undefined;
  const a = parseAttributes(body, IFADDRMSG_LEN);
  const address = ipText(a.get(IFA_LOCAL) ?? a.get(IFA_ADDRESS));
  if (!address) return undefined;
  const ifindex = u32(body, 4);
  return {
    netns,
    ifindex,
    ifname: table.nameOf(ifindex),
    family: family === AF_INET ? 4 : 6,
    address,
    prefixLength: body[1] as number,
    scope: scopeName(names, body[3] as number),
    broadcast: ipText(a.get(IFA_BROADCAST)),
  };
}

/**
 * RTM_NEWADDR messages as Addresses, grouped by link in the order of `links` (as `ip addr
 * show` lists them); an address whose link vanished between the two dumps comes last.
 */
export function decodeAddrs(messages: NetlinkMessage[], links: readonly Link[], table: LinkTable, names: ConfiguredNames, netns: number): Address[] {
  const byLink = new Map<number, Address[]>();
  for (const m of messages) {
    if (m.type !== RTM_NEWADDR || m.body.length < IFADDRMSG_LEN) continue;
    const address = addressOf(m.body, table, names, netns);
    if (!address) continue;
    const list = byLink.get(address.ifindex);
    if (list) list.push(address);
    else byLink.set(address.ifindex, [address]);
  }
  const listed = links.flatMap((l) => byLink.get(l.ifindex) ?? []);
  const known = new Set(links.map((l) => l.ifindex));
  const orphans = [...byLink].flatMap(([ifindex, addresses]) => (known.has(ifindex) ? [] : addresses));
  return [...listed, ...orphans];
}
