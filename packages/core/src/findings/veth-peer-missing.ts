import type { Finding } from "../model/finding.js";
import { carriedBy, isUplink } from "../topology/uplink.js";
import type { SnapshotView } from "./context.js";

/**
 * A veth whose other end is in a namespace netatlas cannot see. The kernel removes
 * both ends when a namespace dies, so this is a namespace that lives on without a
 * process or a name we know (held by a stray bind mount or an open fd): a leak.
 * Never the node's uplink (see isUplink), and never a suggestion to delete a link
 * that still carries addresses or routes: something uses it.
 */
export function vethPeersMissing(view: SnapshotView): Finding[] {
  const { snapshot } = view;
  const host = snapshot.namespaces.find((n) => n.kind === "host")?.id;
  return snapshot.links
    .filter((l) => l.kind === "veth" && l.peer === undefined && l.linkIndex !== undefined && l.linkIndex > 0 && !isUplink(snapshot, l, host))
    .map((l) => {
      const carried = carriedBy(snapshot, l);
      const uses = [...carried.addresses, ...(carried.routes ? [`${carried.routes} route(s)`] : [])];
      return {
        code: "veth-peer-missing",
        severity: "warning" as const,
        message: `veth ${l.name} in ${view.where(l.netns)} has its peer (interface ${l.linkIndex}) in a namespace that no process or name holds`,
        hint: uses.length
          ? `It still carries ${uses.join(", ")}: find the container or runtime that owns ${view.where(l.netns)} before removing anything.`
          : `Delete it with \`ip link delete ${l.name}\` in that namespace if no container owns it.`,
        subjects: [view.where(l.netns, l.name)],
      };
    });
}
