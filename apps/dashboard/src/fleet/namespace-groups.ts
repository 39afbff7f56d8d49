import { netnsLabel, type Netns, type NodeSnapshot } from "@netatlas/core";

export type NamespaceGroup = "host" | "docker" | "cni" | "named" | "orphaned";

/** Orphaned: no process holds it (only a bind mount or a stray reference keeps it alive). */
export function namespaceGroup(ns: Netns): NamespaceGroup {
  if (ns.kind === "host") return "host";
  if (ns.processes.length === 0) return "orphaned";
  return ns.kind === "unknown" ? "named" : ns.kind;
}

export function groupNamespaces(snapshot: NodeSnapshot): { group: NamespaceGroup; namespaces: (Netns & { label: string; links: number })[] }[] {
  const order: NamespaceGroup[] = ["host", "docker", "cni", "named", "orphaned"];
  return order
    .map((group) => ({
      group,
      namespaces: snapshot.namespaces
        .filter((ns) => namespaceGroup(ns) === group)
        .map((ns) => ({ ...ns, label: netnsLabel(ns), links: snapshot.links.filter((l) => l.netns === ns.id).length })),
    }))
    .filter((g) => g.namespaces.length > 0);
}
