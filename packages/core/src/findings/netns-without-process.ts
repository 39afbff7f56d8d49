import type { Finding } from "../model/finding.js";
import { netnsLabel } from "../model/netns.js";
import type { SnapshotView } from "./context.js";

/** A namespace that no process uses: a pod or container that went away and left its network behind. */
export function namespacesWithoutProcess(view: SnapshotView): Finding[] {
  return view.snapshot.namespaces
    .filter((ns) => ns.kind !== "host" && ns.processes.length === 0)
    .map((ns) => ({
      code: "netns-without-process",
      severity: "warning" as const,
      message: `namespace ${netnsLabel(ns)} has no process in it${ns.paths.length ? ` (held open by ${ns.paths.join(", ")})` : ""}`,
      hint: ns.kind === "named" ? `If nothing will use it again: \`ip netns delete ${netnsLabel(ns)}\`.` : "Find the runtime that created it; its container is gone.",
      subjects: [view.where(ns.id)],
    }));
}
