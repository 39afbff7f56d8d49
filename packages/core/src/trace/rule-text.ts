import type { FdbEntry } from "../model/fdb.js";
import type { Neighbor } from "../model/neighbor.js";
import type { Route } from "../model/route.js";

/** A route as `ip route show` prints it, without the protocol and scope that do not decide a path. */
export function routeRule(r: Route): string {
  const parts: string[] = [];
  if (r.type !== "unicast") parts.push(r.type);
  parts.push(r.dst === "0.0.0.0/0" || r.dst === "::/0" ? "default" : r.dst);
  if (r.via) parts.push("via", r.via);
  if (r.dev) parts.push("dev", r.dev);
  if (r.table !== "main") parts.push("table", r.table);
  if (r.prefsrc) parts.push("src", r.prefsrc);
  if (r.metric) parts.push("metric", String(r.metric));
  parts.push(...r.flags);
  return parts.join(" ");
}

/** A forwarding-database entry as `bridge fdb show` prints it. */
export function fdbRule(e: FdbEntry): string {
  const parts = [e.mac, "dev", e.dev];
  if (e.vlan !== undefined) parts.push("vlan", String(e.vlan));
  if (e.master) parts.push("master", e.master);
  if (e.dst) parts.push("dst", e.dst);
  parts.push(...e.flags);
  if (e.state) parts.push(e.state);
  return parts.join(" ");
}

/** A neighbour entry as `ip neigh show` prints it. */
export function neighborRule(n: Neighbor): string {
  return [n.address, "dev", n.dev, ...(n.lladdr ? ["lladdr", n.lladdr] : []), ...(n.router ? ["router"] : []), ...n.state].join(" ");
}
