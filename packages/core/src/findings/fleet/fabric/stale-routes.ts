import type { FabricContext, FabricNode } from "../../../fabric/delivery/fabric-context.js";
import { on, routeDeleteCommand } from "../../../fabric/delivery/repair-commands.js";
import { tunnelKindOf } from "../../../fabric/inferred/tunnels.js";
import type { Finding } from "../../../model/finding.js";
import type { Route } from "../../../model/route.js";
import { cidrContains } from "../../../net/cidr.js";
import { routeRule } from "../../../trace/rule-text.js";

/**
 * Whether a route is one of the fabric's: via a gateway into a tunnel device, to
 * a node of the fleet, or into the fleet's pod range. A route via a router
 * outside the fleet to some other network is not, nor a connected one.
 */
function isFabricRoute(ctx: FabricContext, node: FabricNode, route: Route): boolean {
  if (!route.via) return false;
  const out = route.dev === undefined ? undefined : node.index.links.named(node.host, route.dev);
  if (out && tunnelKindOf(out)) return true;
  const range = ctx.fabric.podRange?.cidr;
  return ctx.nodeAt(route.via) !== undefined || (range !== undefined && route.family === 4 && cidrContains(range, route.dst));
}

/** A subnet the spec gives a node that sent no snapshot: the route to it is the fabric's, not a leftover. */
const unseenOwner = (ctx: FabricContext, dst: string) => ctx.fabric.unseen.some((u) => cidrContains(u.cidr, dst) || cidrContains(dst, u.cidr));

/** A route of the fabric to a subnet no node owns any more: left behind when a node went away or its subnet moved. */
export function staleFabricRoutes(ctx: FabricContext): Finding[] {
  const findings: Finding[] = [];
  for (const node of ctx.nodes.values()) {
    for (const route of node.index.snapshot.routes) {
      if (route.netns !== node.host || route.table !== "main" || route.type !== "unicast" || route.dst.endsWith("/0") || !isFabricRoute(ctx, node, route) || ctx.owned.claimed(route.dst) || unseenOwner(ctx, route.dst)) continue;
      const leadsTo = route.via ? ctx.nodeAt(route.via) ?? ctx.vtepOwnerOf(route.via) : undefined;
      findings.push({
        code: "fabric-route-stale",
        severity: "warning",
        message: `${node.name} routes ${route.dst} (${routeRule(route)})${leadsTo ? ` to ${leadsTo}` : ""}, but no node owns ${route.dst} any more: a route left behind by a node that went away or a subnet that moved`,
        fix: on(node.name, routeDeleteCommand(route)),
        subjects: [`${node.name}/host/${route.dev ?? "routes"}`, ...(leadsTo ? [`${leadsTo}/host`] : []), route.dst],
      });
    }
  }
  return findings;
}
