import { z } from "zod";
import type { IpFamily } from "../model/address.js";
import { RouteType, type Route } from "../model/route.js";
import { parseList } from "./parse-list.js";
import { lazySchema } from "../model/lazy-schema.js";

const IpRouteJson = lazySchema(() =>
  z.object({
    type: z.string().optional(),
    dst: z.string(),
    gateway: z.string().optional(),
    via: z.object({ family: z.string().optional(), host: z.string() }).optional(),
    dev: z.string().optional(),
    table: z.string().optional(),
    protocol: z.string().optional(),
    scope: z.string().optional(),
    metric: z.number().optional(),
    prefsrc: z.string().optional(),
    flags: z.array(z.string()).default([]),
    family: z.string().optional(),
    pref: z.string().optional(),
  }),
);
type IpRouteJson = z.infer<typeof IpRouteJson>;

/**
 * The route's family: what iproute2 says, else what its addresses say. `route show table
 * all` lists both families, and an IPv6 route without addresses ("default dev eth0") is
 * told by its router preference, which only IPv6 routes have. Not by its `via`: that names a
 * next hop of the other family (an IPv4 route via an IPv6 neighbour).
 */
function familyOf(entry: IpRouteJson, fallback: IpFamily): IpFamily {
  if (entry.family === "inet") return 4;
  if (entry.family === "inet6" || entry.pref !== undefined) return 6;
  for (const hint of [entry.dst, entry.gateway, entry.prefsrc]) {
    if (hint && hint !== "default") return hint.includes(":") ? 6 : 4;
  }
  return fallback;
}

const ROUTE_TYPES: ReadonlySet<string> = new Set(RouteType.options);

/** iproute2 prints "default" and host routes without a prefix; the model always has a CIDR. */
function dstCidr(dst: string, family: IpFamily): string {
  if (dst === "default") return family === 4 ? "0.0.0.0/0" : "::/0";
  return dst.includes("/") ? dst : `${dst}/${family === 4 ? 32 : 128}`;
}

/**
 * Turns `ip -j -d route show table all` (or `ip -6 ...`) output of one namespace into Routes.
 * Without -d iproute2 omits the defaults (table main, protocol boot, scope global, type unicast).
 */
export function parseIpRoutes(json: unknown, netns: number, family: IpFamily = 4): Route[] {
  return parseList(IpRouteJson, json, "ip -j route").map((e): Route => {
    const f = familyOf(e, family);
    const type = e.type ?? "unicast";
    return {
      netns,
      family: f,
      table: e.table ?? "main",
      type: ROUTE_TYPES.has(type) ? (type as RouteType) : "other",
      dst: dstCidr(e.dst, f),
      via: e.gateway ?? e.via?.host,
      dev: e.dev,
      protocol: e.protocol ?? "boot",
      scope: e.scope ?? "global",
      metric: e.metric,
      prefsrc: e.prefsrc,
      flags: e.flags,
    };
  });
}
