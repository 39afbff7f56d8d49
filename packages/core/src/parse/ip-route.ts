import { z } from "zod";
import type { IpFamily } from "../model/address.js";
import { RouteType, type Route } from "../model/route.js";
import { parseList, type EntryCheck } from "./parse-list.js";
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
  }),
);
type IpRouteJson = z.infer<typeof IpRouteJson>;

function familyOf(entry: IpRouteJson, fallback: IpFamily): IpFamily {
  if (entry.family === "inet") return 4;
  if (entry.family === "inet6") return 6;
  for (const hint of [entry.dst, entry.gateway, entry.prefsrc, entry.via?.host]) {
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
export function parseIpRoutes(json: unknown, netns: number, family: IpFamily = 4, check: EntryCheck = "each"): Route[] {
  return parseList(IpRouteJson, json, "ip -j route", check).map((e): Route => {
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
