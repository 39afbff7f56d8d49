import type { Finding } from "../model/finding.js";
import type { SnapshotView } from "./context.js";

/**
 * A veth whose other end is in a namespace netatlas cannot see. The kernel removes
 * both ends when a namespace dies, so this is a namespace that lives on without a
 * process or a name we know (held by a stray bind mount or an open fd): a leak.
 * Not the node's uplink: a node that is itself a container (kind, the lab) has its
 * eth0 paired with a peer outside, and its default route goes out there.
 */
export function vethPeersMissing(view: SnapshotView): Finding[] {
  const { links, routes, namespaces } = view.snapshot;
  const host = namespaces.find((n) => n.kind === "host")?.id;
  const isUplink = (netns: number, name: string) => netns === host && routes.some((r) => r.netns === netns && r.dev === name && r.table === "main" && r.dst.endsWith("/0"));
  return links
    .filter((l) => l.kind === "veth" && l.peer === undefined && l.linkIndex !== undefined && l.linkIndex > 0 && !isUplink(l.netns, l.name))
    .map((l) => ({
      code: "veth-peer-missing",
      severity: "warning" as const,
      message: `veth ${l.name} in ${view.where(l.netns)} has its peer (interface ${l.linkIndex}) in a namespace that no process or name holds`,
      hint: `Delete it with \`ip link delete ${l.name}\` in that namespace if no container owns it.`,
      subjects: [view.where(l.netns, l.name)],
    }));
}
