import type { NamespaceState } from "@netatlas/core";
import type { NodeView, NamespaceRead } from "./node-view.js";

/**
 * An entry as notifications must keep it. Left out: a link's peer and its peer's
 * namespace (they depend on other namespaces, some of which send no notifications),
 * and a neighbour's NUD state short of PERMANENT (the kernel moves REACHABLE to DELAY
 * and PROBE without a word; only PERMANENT is the admin's).
 */
const FORMS: { [K in keyof Omit<NamespaceState, "nat" | "filter">]: (entry: NamespaceState[K][number]) => string } = {
  links: ({ peer: _peer, linkNetns: _linkNetns, ...link }) => JSON.stringify(link),
  addresses: (a) => JSON.stringify(a),
  routes: (r) => JSON.stringify(r),
  neighbors: ({ state, ...n }) => JSON.stringify({ ...n, permanent: state.includes("PERMANENT") }),
  fdb: (e) => JSON.stringify(e),
};

/**
 * A device's own multicast address ("33:33:ff:…" for an IPv6 solicited-node group), which
 * `bridge fdb` lists as a "self" entry: it is the device's multicast list, joined and left
 * with its IPv6 addresses without any neighbour notification.
 */
export const isMulticastSelfEntry = (e: { mac: string; flags: readonly string[] }) => e.flags.includes("self") && (Number.parseInt(e.mac.slice(0, 2), 16) & 1) === 1;

/**
 * The entries notifications tell of. Not an INCOMPLETE neighbour: the kernel makes one
 * without a word when it starts resolving an address, and tells of it only once it
 * resolves or fails. Not a device's multicast list (isMulticastSelfEntry). Both are
 * kept as the last read of their namespace found them.
 */
function told(state: NamespaceState, kind: keyof typeof FORMS): readonly unknown[] {
  if (kind === "neighbors") return state.neighbors.filter((n) => !n.state.includes("INCOMPLETE"));
  if (kind === "fdb") return state.fdb.filter((e) => !isMulticastSelfEntry(e));
  return state[kind];
}

/**
 * What a namespace's state kept from notifications says differently from a full read
 * of it, entry by entry: "+ routes {...}" for what only the read has, "- ..." for what
 * only the kept state has. Empty when notifications told everything.
 */
export function kernelDrift(kept: NamespaceState, read: NamespaceState): string[] {
  const drift: string[] = [];
  for (const kind of Object.keys(FORMS) as Array<keyof typeof FORMS>) {
    const form = FORMS[kind] as (entry: unknown) => string;
    const counts = new Map<string, number>();
    const count = (e: unknown, by: number) => {
      const key = form(e);
      counts.set(key, (counts.get(key) ?? 0) + by);
    };
    for (const e of told(read, kind)) count(e, 1);
    for (const e of told(kept, kind)) count(e, -1);
    for (const [entry, n] of counts) for (let i = 0; i < Math.abs(n); i++) drift.push(`${n > 0 ? "+" : "-"} ${kind} ${entry}`);
  }
  return drift;
}

/** kernelDrift of every namespace a read of the node read that `counted` says to count, named for the log. */
export function readDrift(view: NodeView, reads: ReadonlyMap<number, NamespaceRead>, counted: (netns: number) => boolean): string[] {
  return [...reads].flatMap(([id, read]) => {
    const kept = counted(id) ? view.held(id) : undefined;
    return kept ? kernelDrift(kept.state, read.state).map((d) => `${read.ns.names[0] ?? id}: ${d}`) : [];
  });
}
