import { ipText } from "./address-text.js";
import type { IpJson } from "./link-info.js";
import type { LinkTable } from "./links.js";
import { attrU32, parseAttributes, u16, u32, type NetlinkMessage } from "./messages.js";
import { protocolName, routeFlagNames, routeTypeName, scopeName, tableName, type ConfiguredNames } from "./names.js";

const RTM_NEWROUTE = 24;
const RTMSG_LEN = 12;
const AF_INET = 2;
const AF_INET6 = 10;
const RTA_DST = 1;
const RTA_OIF = 4;
const RTA_GATEWAY = 5;
const RTA_PRIORITY = 6;
const RTA_PREFSRC = 7;
const RTA_TABLE = 15;
const RTA_VIA = 18;
const RTM_F_CLONED = 0x200;

/** iproute2 prints a host route without its /32 (/128), a zero-length prefix as "default". */
function dstText(dst: Buffer | undefined, dstLen: number, family: number): string {
  const hostLen = family === AF_INET ? 32 : 128;
  if (dst) return dstLen === hostLen ? (ipText(dst) as string) : `${ipText(dst)}/${dstLen}`;
  return dstLen ? `0/${dstLen}` : "default";
}

/** RTA_VIA: a gateway of another family (an IPv4 route via an IPv6 next hop). */
function viaJson(via: Buffer | undefined): IpJson | undefined {
  if (!via || via.length < 2) return undefined;
  const family = u16(via);
  const host = ipText(via.subarray(2));
  if (!host) return undefined;
  return { family: family === AF_INET ? "inet" : family === AF_INET6 ? "inet6" : String(family), host };
}

function routeJson(body: Buffer, table: LinkTable, names: ConfiguredNames): IpJson {
  const family = body[0] as number;
  const a = parseAttributes(body, RTMSG_LEN);
  const json: IpJson = { type: routeTypeName(body[7] as number), dst: dstText(a.get(RTA_DST), body[1] as number, family) };
  const gateway = ipText(a.get(RTA_GATEWAY));
  if (gateway) json.gateway = gateway;
  const via = viaJson(a.get(RTA_VIA));
  if (via) json.via = via;
  const oif = attrU32(a, RTA_OIF);
  if (oif) json.dev = table.nameOf(oif);
  json.table = tableName(names, attrU32(a, RTA_TABLE) ?? (body[4] as number));
  json.protocol = protocolName(names, body[5] as number);
  json.scope = scopeName(names, body[6] as number);
  const metric = attrU32(a, RTA_PRIORITY);
  if (metric !== undefined) json.metric = metric;
  const prefsrc = ipText(a.get(RTA_PREFSRC));
  if (prefsrc) json.prefsrc = prefsrc;
  json.flags = routeFlagNames(u32(body, 8));
  return json;
}

/**
 * RTM_NEWROUTE messages of every table, split by family as `ip -j -d route show table all`
 * and `ip -6 ...` print them. An AF_UNSPEC dump also carries multicast forwarding entries
 * (RTNL_FAMILY_IPMR): those are not routes `ip route` shows, so they are left out, as are cloned (cache) routes.
 */
export function decodeRoutes(messages: NetlinkMessage[], table: LinkTable, names: ConfiguredNames): { routes: IpJson[]; routes6: IpJson[] } {
  const routes: IpJson[] = [];
  const routes6: IpJson[] = [];
  for (const m of messages) {
    if (m.type !== RTM_NEWROUTE || m.body.length < RTMSG_LEN) continue;
    if (u32(m.body, 8) & RTM_F_CLONED) continue;
    if (m.body[0] === AF_INET) routes.push(routeJson(m.body, table, names));
    else if (m.body[0] === AF_INET6) routes6.push(routeJson(m.body, table, names));
  }
  return { routes, routes6 };
}
