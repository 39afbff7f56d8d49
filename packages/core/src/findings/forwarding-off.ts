import type { Finding } from "../model/finding.js";
import type { SnapshotView } from "./context.js";

/**
 * A bridge that is its ports' gateway (it has an address) in a namespace that does
 * not forward: its containers reach each other but nothing beyond. A bridge without
 * an address only switches frames, which needs no forwarding.
 */
function hasAddress(view: SnapshotView, netns: number, ifindex: number): boolean {
  return view.snapshot.addresses.some((a) => a.netns === netns && a.ifindex === ifindex && a.scope === "global");
}

export function forwardingOff(view: SnapshotView): Finding[] {
  const findings: Finding[] = [];
  for (const ns of view.snapshot.namespaces) {
    if (ns.ipForward !== false) continue;
    const bridges = view.snapshot.links.filter((l) => l.netns === ns.id && l.kind === "bridge" && view.links.portsOf(l).length > 0 && hasAddress(view, l.netns, l.ifindex));
    if (bridges.length === 0) continue;
    findings.push({
      code: "ip-forward-off",
      severity: "error",
      message: `net.ipv4.ip_forward is 0 in ${view.where(ns.id)}, which has bridge(s) with ports: ${bridges.map((b) => b.name).join(", ")}`,
      hint: "Containers on these bridges cannot leave the node: enable net.ipv4.ip_forward in that namespace.",
      subjects: bridges.map((b) => view.where(ns.id, b.name)),
    });
  }
  return findings;
}
