import type { NodeSnapshot } from "@netatlas/core";

/** The part of a snapshot that lives in one namespace (by inode or name); undefined if there is none. */
export function onlyNamespace(snapshot: NodeSnapshot, netns: number | string): NodeSnapshot | undefined {
  const ns = snapshot.namespaces.find((n) => n.id === netns || n.names.includes(String(netns)));
  if (!ns) return undefined;
  const here = <T extends { netns?: number }>(items: T[]) => items.filter((i) => i.netns === ns.id);
  return {
    ...snapshot,
    namespaces: [ns],
    links: here(snapshot.links),
    addresses: here(snapshot.addresses),
    routes: here(snapshot.routes),
    neighbors: here(snapshot.neighbors),
    fdb: here(snapshot.fdb),
    nat: here(snapshot.nat),
    containers: here(snapshot.containers),
    pods: here(snapshot.pods),
  };
}
