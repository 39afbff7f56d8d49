import type { FabricContext } from "../../../fabric/delivery/fabric-context.js";
import type { Finding } from "../../../model/finding.js";

/**
 * For every ordered pair of nodes and each subnet the second owns: does the
 * first's kernel state deliver it there, the way the backend needs (route,
 * gateway, VTEP, neighbour and FDB entries)? A Docker subnet the spec does not
 * route between the two is only held to the routes that exist: one that sends
 * it to another node is still wrong.
 */
export function fabricRouteFindings(ctx: FabricContext): Finding[] {
  const findings: Finding[] = [];
  for (const from of ctx.nodes.values()) {
    for (const subnet of ctx.owned.all) {
      if (subnet.node === from.name) continue;
      if (ctx.requires(from, subnet)) findings.push(...ctx.deliveryOf(from, subnet).problems);
      else if (subnet.kind === "docker") {
        const delivery = ctx.deliveryOf(from, subnet);
        if (delivery.route && !delivery.route.dst.endsWith("/0")) findings.push(...delivery.problems.filter((p) => p.code === "fabric-route-wrong-node"));
      }
    }
  }
  return findings;
}
