import type { FdbEntry } from "../model/fdb.js";
import type { Neighbor } from "../model/neighbor.js";
import type { Netns } from "../model/netns.js";
import type { NodeSnapshot } from "../model/snapshot.js";

/**
 * A device's own multicast address ("33:33:ff:…" for an IPv6 solicited-node group), which
 * `bridge fdb` lists as a "self" entry: it is the device's multicast list, joined and left
 * with its IPv6 addresses without any notification.
 */
export const isMulticastSelfEntry = (e: Pick<FdbEntry, "mac" | "flags">) => e.flags.includes("self") && (Number.parseInt(e.mac.slice(0, 2), 16) & 1) === 1;

/**
 * A neighbour as rtnetlink notifications keep it: not an INCOMPLETE one (the kernel makes
 * one without a word when it starts resolving an address), and of its NUD state only
 * whether it is PERMANENT (the kernel moves REACHABLE to STALE, DELAY and PROBE silently;
 * only PERMANENT is the admin's). Undefined when notifications do not tell of it.
 */
export function notifiedNeighbor({ state, ...neighbor }: Neighbor): (Omit<Neighbor, "state"> & { permanent: boolean }) | undefined {
  return state.includes("INCOMPLETE") ? undefined : { ...neighbor, permanent: state.includes("PERMANENT") };
}

/** Each kind of kernel entry of a snapshot, as its entries are compared (one string each). */
function entriesOf(snapshot: NodeSnapshot, ours: (netns: number) => boolean): Record<string, string[]> {
  const list = (entries: ReadonlyArray<{ netns: number }>) => entries.filter((e) => ours(e.netns)).map((e) => JSON.stringify(e));
  return {
    namespaces: snapshot.namespaces.filter((n) => ours(n.id)).map((n) => `${n.id} ${n.names.join(",")}`),
    links: list(snapshot.links),
    addresses: list(snapshot.addresses),
    routes: list(snapshot.routes),
    neighbors: list(snapshot.neighbors.flatMap((n) => notifiedNeighbor(n) ?? [])),
    fdb: list(snapshot.fdb.filter((e) => !isMulticastSelfEntry(e))),
  };
}

/**
 * The kernel's part of two snapshots of one node compared object by object: the
 * namespaces themselves, and each namespace's links, addresses, routes, neighbours and
 * FDB entries. "live <kind> <entry>" for an object only `live` has, "read <kind> <entry>"
 * for one only `read` has (a repeated object counts as often as it is repeated); empty
 * when they agree. What no notification tells of is left out (notifiedNeighbor,
 * isMulticastSelfEntry), so a state kept from notifications can equal a full read.
 * `netns` limits the comparison to some namespaces (a test's own, by name).
 */
export function kernelDifferences(live: NodeSnapshot, read: NodeSnapshot, netns?: (ns: Netns) => boolean): string[] {
  const ids = netns && new Set([...live.namespaces, ...read.namespaces].filter(netns).map((n) => n.id));
  const ours = (id: number) => !ids || ids.has(id);
  const [a, b] = [entriesOf(live, ours), entriesOf(read, ours)];
  return Object.keys(a).flatMap((kind) => {
    const counts = new Map<string, number>();
    for (const e of a[kind] ?? []) counts.set(e, (counts.get(e) ?? 0) + 1);
    for (const e of b[kind] ?? []) counts.set(e, (counts.get(e) ?? 0) - 1);
    return [...counts].flatMap(([entry, n]) => Array.from({ length: Math.abs(n) }, () => `${n > 0 ? "live" : "read"} ${kind} ${entry}`));
  });
}
