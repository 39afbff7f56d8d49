import type { Route, RouteType } from "@netatlas/core";
import { ipText } from "./address-text.js";
import type { LinkTable } from "./links.js";
import { attrU32, parseAttributes, u32, type NetlinkMessage } from "./messages.js";
import { protocolName, routeFlagNames, scopeName, tableName, type ConfiguredNames } from "./names.js";

export const RTM_NEWROUTE = 24;
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

/** RTN_* by number; RTN_UNSPEC, RTN_XRESOLVE and any later type are "other" to the model. */
const ROUTE_TYPES: readonly RouteType[] = ["other", "unicast", "local", "broadcast", "anycast", "multicast", "blackhole", "unreachable", "prohibit", "throw", "nat", "other"];

/** RTA_VIA: a next hop of another family (an IPv4 route via an IPv6 neighbour), after its 2-byte family. */
const viaHost = (via: Buffer | undefined) => (via && via.length > 2 ? ipText(via.subarray(2)) : undefined);

/**
 * One RTM_NEWROUTE (or RTM_DELROUTE) as a Route; undefined for what `ip route` does not
 * show: other families (an AF_UNSPEC dump also carries multicast forwarding entries,
 * RTNL_FAMILY_IPMR) and cloned (cache) routes.
 */
export function routeOf(body: Buffer, table: LinkTable, names: ConfiguredNames, netns: number): Route | undefined {
  const family = body[0];
  if ((family !== AF_INET && family !== AF_INET6) || body.length < RTMSG_LEN || u32(body, 8) & RTM_F_CLONED) return undefined;
  const a = parseAttributes(body, RTMSG_LEN);
  const oif = attrU32(a, RTA_OIF);
  return {
    netns,
    family: family === AF_INET ? 4 : 6,
    table: tableName(names, attrU32(a, RTA_TABLE) ?? (body[4] as number)),
    type: ROUTE_TYPES[body[7] as number] ?? "other",
    // Always a CIDR: no RTA_DST is the zero address (a default route has a zero-length prefix).
    dst: `${ipText(a.get(RTA_DST)) ?? (family === AF_INET ? "0.0.0.0" : "::")}/${body[1]}`,
    via: ipText(a.get(RTA_GATEWAY)) ?? viaHost(a.get(RTA_VIA)),
    dev: oif ? table.nameOf(oif) : undefined,
    protocol: protocolName(names, body[5] as number),
    scope: scopeName(names, body[6] as number),
    metric: attrU32(a, RTA_PRIORITY),
    prefsrc: ipText(a.get(RTA_PREFSRC)),
    flags: routeFlagNames(u32(body, 8)),
  };
}

/** RTM_NEWROUTE messages of every table as Routes: IPv4's, then IPv6's, each in the kernel's order (as `ip route` and `ip -6 route` list them). */
export function decodeRoutes(messages: NetlinkMessage[], table: LinkTable, names: ConfiguredNames, netns: number): Route[] {
  const routes: Route[] = [];
  const routes6: Route[] = [];
  for (const m of messages) {
    if (m.type !== RTM_NEWROUTE) continue;
    const route = routeOf(m.body, table, names, netns);
    if (route?.family === 4) routes.push(route);
    else if (route) routes6.push(route);
  }
  return [...routes, ...routes6];
}
