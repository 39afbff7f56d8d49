import { z } from "zod";
import { IpFamily } from "./address.js";
import { NetnsId } from "./names.js";
import { lazySchema } from "./lazy-schema.js";

export const RouteType = lazySchema(() => z.enum(["unicast", "local", "broadcast", "multicast", "anycast", "blackhole", "unreachable", "prohibit", "throw", "nat", "other"]));
export type RouteType = z.infer<typeof RouteType>;

export const Route = lazySchema(() =>
  z.object({
    netns: NetnsId,
    family: IpFamily,
    /** "main", "local", "default" or the table number as a string. */
    table: z.string(),
    type: RouteType,
    /** Always a CIDR ("0.0.0.0/0" for default). */
    dst: z.string(),
    via: z.string().optional(),
    dev: z.string().optional(),
    /** "kernel", "boot", "static", "dhcp", ... or the protocol number as a string. */
    protocol: z.string(),
    scope: z.string(),
    metric: z.number().int().nonnegative().optional(),
    prefsrc: z.string().optional(),
    flags: z.array(z.string()),
  }),
);
export type Route = z.infer<typeof Route>;

/** How `ip route` prints the route, so people see the line they know. */
export function routeLine(r: Route): string {
  const dst = r.dst === "0.0.0.0/0" || r.dst === "::/0" ? "default" : r.dst;
  const parts: string[] = [];
  if (r.type !== "unicast") parts.push(r.type);
  parts.push(dst);
  if (r.via) parts.push("via", r.via);
  if (r.dev) parts.push("dev", r.dev);
  if (r.table !== "main") parts.push("table", r.table);
  if (r.protocol !== "boot") parts.push("proto", r.protocol);
  if (r.scope !== "universe" && r.scope !== "global") parts.push("scope", r.scope);
  if (r.prefsrc) parts.push("src", r.prefsrc);
  if (r.metric !== undefined) parts.push("metric", String(r.metric));
  parts.push(...r.flags);
  return parts.join(" ");
}
