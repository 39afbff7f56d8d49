import type { Finding } from "../model/finding.js";
import type { SnapshotView } from "./context.js";

/**
 * A veth whose other end is in a namespace netatlas cannot see. The kernel removes
 * both ends when a namespace dies, so this is a namespace that lives on without a
 * process or a name we know (held by a stray bind mount or an open fd): a leak.
 */
export function vethPeersMissing(view: SnapshotView): Finding[] {
  return view.snapshot.links
    .filter((l) => l.kind === "veth" && l.peer === undefined && l.linkIndex !== undefined && l.linkIndex > 0)
    .map((l) => ({
      code: "veth-peer-missing",
      severity: "warning" as const,
      message: `veth ${l.name} in ${view.where(l.netns)} has its peer (interface ${l.linkIndex}) in a namespace that no process or name holds`,
      hint: `Delete it with \`ip link delete ${l.name}\` in that namespace if no container owns it.`,
      subjects: [view.where(l.netns, l.name)],
    }));
}
