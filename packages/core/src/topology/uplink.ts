import type { Link } from "../model/link.js";
import type { NodeSnapshot } from "../model/snapshot.js";

/** IPv6 link-local routes (fe80::/64) and multicast ones are made for every interface that comes up: they say nothing of its use. */
const AUTOMATIC_ROUTE = /^(fe80::\/64|ff00::\/8)$/;

/**
 * What a link carries of its namespace's own traffic: addresses beyond link-local
 * ones, and routes of any table other than the kernel's `local` one through it.
 */
export function carriedBy(snapshot: NodeSnapshot, link: Pick<Link, "netns" | "name" | "ifindex">): { addresses: string[]; routes: number } {
  const addresses = snapshot.addresses.filter((a) => a.netns === link.netns && a.ifindex === link.ifindex && a.scope !== "link" && a.scope !== "host").map((a) => `${a.address}/${a.prefixLength}`);
  const routes = snapshot.routes.filter((r) => r.netns === link.netns && r.dev === link.name && r.table !== "local" && !AUTOMATIC_ROUTE.test(r.dst)).length;
  return { addresses, routes };
}

/**
 * A node's uplink: a veth of the host namespace whose peer is in no namespace the
 * snapshot has, yet which carries the node's own addresses or routes. A node that
 * is itself a container (kind, the lab, a nested runtime) is joined to its
 * underlay by one, whether or not its default route goes through it; the peer
 * lives in the parent's namespace, which the node cannot see.
 */
export function isUplink(snapshot: NodeSnapshot, link: Link, hostNetns: number | undefined): boolean {
  if (link.kind !== "veth" || link.netns !== hostNetns || link.peer !== undefined) return false;
  const carried = carriedBy(snapshot, link);
  return carried.addresses.length > 0 || carried.routes > 0;
}
