import type { NodeSnapshot } from "../../model/snapshot.js";
import { cidrContainsIp } from "../../net/cidr.js";
import type { UnderlayAddress } from "./inferred-fabric.js";
import { tunnelKindOf } from "./tunnels.js";

/**
 * The node's own addresses: global addresses of the host namespace that are
 * not on the loopback, a tunnel, a bridge of pods or Docker containers, or a
 * veth to a namespace of the node, and not inside a subnet the node gives its
 * pods or containers (the flannel.1 VTEP address is the pod subnet's). The
 * device of the default route comes first: its address is the one other
 * nodes reach the node by.
 */
export function underlayOf(snapshot: NodeSnapshot, host: number | undefined, localSubnets: readonly string[]): UnderlayAddress[] {
  if (host === undefined) return [];
  const links = new Map(snapshot.links.filter((l) => l.netns === host).map((l) => [l.ifindex, l]));
  const withPorts = new Set(snapshot.links.filter((l) => l.netns === host && l.master !== undefined && l.kind === "veth" && l.peer).map((l) => l.master));
  const defaultDev = snapshot.routes.find((r) => r.netns === host && r.table === "main" && r.dst === "0.0.0.0/0" && r.dev)?.dev;
  const underlay = snapshot.addresses.flatMap((a): UnderlayAddress[] => {
    const link = links.get(a.ifindex);
    if (a.netns !== host || a.scope !== "global" || !link) return [];
    const podOrContainerSide = link.kind === "loopback" || tunnelKindOf(link) !== undefined || (link.kind === "veth" && link.peer !== undefined) || (link.kind === "bridge" && withPorts.has(link.ifindex));
    if (podOrContainerSide || localSubnets.some((s) => cidrContainsIp(s, a.address))) return [];
    return [{ ip: a.address, prefixLength: a.prefixLength, dev: a.ifname, mtu: link.mtu }];
  });
  const rank = (u: UnderlayAddress) => (u.dev === defaultDev ? 0 : 2) + (u.ip.includes(":") ? 1 : 0);
  return underlay.sort((x, y) => rank(x) - rank(y) || x.ip.localeCompare(y.ip));
}
