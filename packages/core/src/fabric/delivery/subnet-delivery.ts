import type { Link } from "../../model/link.js";
import type { Route } from "../../model/route.js";
import { routeRule } from "../../trace/rule-text.js";
import { tunnelKindOf } from "../inferred/tunnels.js";
import type { FabricContext, FabricNode } from "./fabric-context.js";
import type { OwnedSubnet } from "./owned-subnets.js";
import { on, routeCommand } from "./repair-commands.js";
import { pairFinding, type Delivery } from "./delivery.js";
import { vxlanDelivery } from "./vxlan-delivery.js";

const DROPPING = new Set(["blackhole", "unreachable", "prohibit"]);

/** The route `from` should have to the subnet's owner, as a command on `from`. */
export function routeFix(ctx: FabricContext, from: FabricNode, subnet: OwnedSubnet): string | undefined {
  const to = ctx.nodes.get(subnet.node);
  return to && on(from.name, routeCommand(ctx, from, to, subnet.cidr));
}

/** Sending it via a gateway (host-gw) or into an IPIP/GRE tunnel: the gateway must be the owner's underlay address, on a network the sender is connected to. */
function gatewayDelivery(ctx: FabricContext, from: FabricNode, subnet: OwnedSubnet, route: Route, out: Link, way: Delivery["way"]): Delivery {
  const base = { from: from.name, subnet, route, out, way };
  const fix = () => routeFix(ctx, from, subnet);
  const rule = () => routeRule(route);
  const via = route.via as string;
  const reaches = ctx.nodeAt(via);
  if (route.dst.endsWith("/0") && reaches !== subnet.node) {
    const problem = pairFinding(from, subnet, "fabric-route-missing", "error", out.name, `${from.name} has no route to ${subnet.label}: only its default route (${rule()}) covers it, which sends it to ${reaches ?? `${via}, outside the fleet`}`, fix());
    return { ...base, ...(reaches ? { reaches } : {}), problems: [problem] };
  }
  if (reaches === undefined) {
    return { ...base, problems: [pairFinding(from, subnet, "fabric-nexthop-wrong", "error", out.name, `${from.name} routes ${subnet.label} via ${via} (${rule()}), which is no node's underlay address; ${subnet.node} is not reached that way (a router beyond it is out of netatlas's sight)`, fix())] };
  }
  if (reaches !== subnet.node) {
    return { ...base, reaches, problems: [pairFinding(from, subnet, "fabric-route-wrong-node", "error", out.name, `${from.name} routes ${subnet.label} to ${reaches} (${rule()}): the subnet is ${subnet.node}'s now (a stale route of a subnet that moved)`, fix())] };
  }
  const connected = route.flags.includes("onlink") || way !== "gateway" ? undefined : from.index.routesOf(from.host).lookup(via)?.route;
  if (connected && (connected.via || connected.dev !== out.name || connected.type !== "unicast")) {
    return { ...base, reaches, problems: [pairFinding(from, subnet, "fabric-nexthop-wrong", "error", out.name, `${from.name} routes ${subnet.label} via ${via} (${rule()}), but ${via} is not on a network ${from.name}'s ${out.name} is connected to (${routeRule(connected)}): the next hop cannot be reached directly`, fix())] };
  }
  return { ...base, reaches, problems: [] };
}

/**
 * Decides, with the kernel's rules, what `from` does with a packet for
 * `subnet`: the longest-prefix match of its host namespace (the trace's own
 * lookup), then for a VXLAN device the neighbour and FDB entries, for a gateway
 * whose address it is. Every fault names both nodes, the kernel object and the
 * command that mends it.
 */
export function evaluateDelivery(ctx: FabricContext, from: FabricNode, subnet: OwnedSubnet): Delivery {
  const fix = () => routeFix(ctx, from, subnet);
  const match = from.index.routesOf(from.host).lookup(subnet.probe);
  const missing = (object: string, why: string): Delivery => ({ from: from.name, subnet, ...(match ? { route: match.route } : {}), problems: [pairFinding(from, subnet, "fabric-route-missing", "error", object, `${from.name} has no route to ${subnet.label}: ${why}`, fix())] });
  if (!match) return missing("routes", "no route of its main table covers it");
  const { route } = match;
  if (route.type === "local" || route.type === "broadcast") return { from: from.name, subnet, route, reaches: from.name, problems: [] };
  if (DROPPING.has(route.type)) return missing(route.dev ?? "routes", `${routeRule(route)} drops it`);
  const out = route.dev === undefined ? undefined : from.index.links.named(from.host, route.dev);
  if (!out) return missing(route.dev ?? "routes", `${routeRule(route)} names device ${route.dev ?? "(none)"}, which it does not have`);
  const kind = tunnelKindOf(out);
  if (kind === "vxlan") return vxlanDelivery(ctx, from, subnet, route, out);
  if (!route.via) {
    const why = route.dst.endsWith("/0") ? `only its default route (${routeRule(route)}) covers it, and it has no gateway` : `its ${routeRule(route)} covers it, so ${from.name} looks for those addresses on its own ${out.name}`;
    return missing(out.name, why);
  }
  return gatewayDelivery(ctx, from, subnet, route, out, kind ?? "gateway");
}
