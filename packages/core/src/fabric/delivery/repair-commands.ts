import type { Route } from "../../model/route.js";
import { parseCidr } from "../../net/cidr.js";
import type { FabricContext, FabricNode } from "./fabric-context.js";

/**
 * The commands that mend a fabric fault, as a person types them on the node
 * named before each (`node1: ip route replace …`). Only routes, neighbour and
 * FDB entries, MTUs and link state: never the removal of a link.
 */
export const on = (node: string, ...commands: string[]): string => commands.map((c) => `${node}: ${c}`).join("; ");

/** The address `to`'s VTEP answers to: its VXLAN device's own address (flannel's .0/32), else its subnet's network address as flannel would give it. */
export function vtepAddressOf(to: FabricNode, cidr: string): string {
  return to.vxlan?.addresses.find((a) => !a.includes(":"))?.split("/")[0] ?? parseCidr(cidr).network.toString();
}

/** The route `from` needs to `to`'s subnet: through both ends' VXLAN devices when both have one, else via `to`'s underlay address. */
export function routeCommand(ctx: FabricContext, from: FabricNode, to: FabricNode, cidr: string): string {
  if (from.vxlan && to.vxlan && ctx.spec?.backend?.type !== "host-gw") return `ip route replace ${cidr} via ${vtepAddressOf(to, cidr)} dev ${from.vxlan.dev} onlink`;
  const gateway = to.fabric.underlay.find((u) => !u.ip.includes(":"))?.ip ?? "<its underlay address>";
  const toward = gateway.startsWith("<") ? undefined : from.index.routesOf(from.host).lookup(gateway)?.route.dev;
  return `ip route replace ${cidr} via ${gateway} dev ${toward ?? from.fabric.underlay[0]?.dev ?? "<the underlay device>"}`;
}

export function neighborCommand(address: string, mac: string, dev: string): string {
  return `ip neigh replace ${address} lladdr ${mac} dev ${dev} nud permanent`;
}

export function fdbCommand(mac: string, dev: string, dst: string): string {
  return `bridge fdb replace ${mac} dev ${dev} dst ${dst} self permanent`;
}

export function routeDeleteCommand(route: Route): string {
  return `ip route del ${route.dst}${route.via ? ` via ${route.via}` : ""}${route.dev ? ` dev ${route.dev}` : ""}${route.table !== "main" ? ` table ${route.table}` : ""}`;
}
