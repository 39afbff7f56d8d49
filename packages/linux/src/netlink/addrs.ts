import { ipText } from "./address-text.js";
import type { IpJson } from "./link-info.js";
import type { LinkTable } from "./links.js";
import { parseAttributes, text, u32, type NetlinkMessage } from "./messages.js";
import { scopeName, type ConfiguredNames } from "./names.js";

const RTM_NEWADDR = 20;
const IFADDRMSG_LEN = 8;
const AF_INET = 2;
const AF_INET6 = 10;
const IFA_ADDRESS = 1;
const IFA_LOCAL = 2;
const IFA_LABEL = 3;
const IFA_BROADCAST = 4;

/** One RTM_NEWADDR as an `addr_info` entry; iproute2 calls IFA_LOCAL "local" and a differing IFA_ADDRESS the peer "address". */
function addrInfo(body: Buffer, names: ConfiguredNames): IpJson | undefined {
  const family = body[0];
  if (family !== AF_INET && family !== AF_INET6) return undefined;
  const a = parseAttributes(body, IFADDRMSG_LEN);
  const local = a.get(IFA_LOCAL) ?? a.get(IFA_ADDRESS);
  const address = a.get(IFA_ADDRESS);
  const info: IpJson = { family: family === AF_INET ? "inet" : "inet6", local: ipText(local) };
  if (local && address && !local.equals(address)) info.address = ipText(address);
  info.prefixlen = body[1];
  const broadcast = ipText(a.get(IFA_BROADCAST));
  if (broadcast) info.broadcast = broadcast;
  info.scope = scopeName(names, body[3] as number);
  const label = text(a.get(IFA_LABEL));
  if (label) info.label = label;
  return info;
}

/** RTM_NEWADDR messages grouped by link, as `ip -j addr show` prints them (links without addresses included). */
export function decodeAddrs(messages: NetlinkMessage[], links: IpJson[], table: LinkTable, names: ConfiguredNames): IpJson[] {
  const byLink = new Map<number, IpJson[]>();
  for (const m of messages) {
    if (m.type !== RTM_NEWADDR || m.body.length < IFADDRMSG_LEN) continue;
    const info = addrInfo(m.body, names);
    if (!info) continue;
    const ifindex = u32(m.body, 4);
    if (!byLink.has(ifindex)) byLink.set(ifindex, []);
    byLink.get(ifindex)?.push(info);
  }
  const listed = links.map((l) => ({ ifindex: l.ifindex, ifname: l.ifname, flags: l.flags, mtu: l.mtu, operstate: l.operstate, link_type: l.link_type, address: l.address, addr_info: byLink.get(l.ifindex as number) ?? [] }));
  // An address whose link vanished between the two dumps still names its ifindex.
  const known = new Set(links.map((l) => l.ifindex));
  const orphans = [...byLink].filter(([ifindex]) => !known.has(ifindex)).map(([ifindex, addr_info]) => ({ ifindex, ifname: table.nameOf(ifindex), addr_info }));
  return [...listed, ...orphans];
}
