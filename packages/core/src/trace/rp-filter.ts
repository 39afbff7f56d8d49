import type { Link } from "../model/link.js";
import type { TraceRpFilter } from "../model/trace.js";
import { ipFamily, isIp } from "../net/cidr.js";
import type { NodeIndex } from "./node-index.js";
import { routeRule } from "./rule-text.js";

export interface RpRefusal {
  check: TraceRpFilter;
  message: string;
}

/**
 * The kernel's reverse-path check (fib_validate_source) on a packet that arrived on `iif`
 * and is routed (forwarded or delivered locally): with rp_filter max(all, iif) = 1 (strict)
 * the route back to the source must leave by `iif`; with 2 (loose) any unicast route back
 * will do. No route back, or a blackhole/unreachable one, fails either mode. IPv4 only:
 * IPv6 has no rp_filter (nft's `fib` rules do it there, and the filter evaluation reads them).
 */
export function rpFilterRefusal(node: NodeIndex, netns: number, iif: Link, src: string): RpRefusal | undefined {
  const rp = node.netns(netns)?.rpFilter;
  if (!rp || iif.kind === "loopback" || !isIp(src) || ipFamily(src) !== 4) return undefined;
  const mode = Math.max(rp.all, rp.interfaces[iif.name] ?? rp.default);
  if (mode === 0) return undefined;
  const strict = mode === 1;
  const where = `${node.name} (${node.netnsLabel(netns)})`;
  const setting = `rp_filter ${mode} (${strict ? "strict" : "loose"}: max of all=${rp.all} and ${iif.name}=${rp.interfaces[iif.name] ?? `default ${rp.default}`})`;
  const base = { node: node.name, netns, interface: iif.name, mode: strict ? "strict" : "loose" } as const;
  const back = node.routesOf(netns).lookup(src);
  if (!back || back.route.type !== "unicast") {
    const route = back ? routeRule(back.route) : undefined;
    return { check: { ...base, ...(route ? { route } : {}) }, message: `${where} drops the packet from ${src} that arrived on ${iif.name}: ${setting}, and ${route ? `the route back to ${src} is ${route}` : `it has no route back to ${src}`}` };
  }
  if (back.route.dev === iif.name || !strict) return undefined;
  const route = routeRule(back.route);
  return {
    check: { ...base, route },
    message: `${where} drops the packet from ${src} that arrived on ${iif.name}: ${setting}, and the route back to ${src} (${route}) leaves by ${back.route.dev ?? "another device"}: an asymmetric path; set rp_filter to 2 (loose) on ${iif.name} and all, or route ${src} back through ${iif.name}`,
  };
}
