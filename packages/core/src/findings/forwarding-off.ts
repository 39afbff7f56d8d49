import type { Finding } from "../model/finding.js";
import type { Link } from "../model/link.js";
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
  // Bridges by namespace first: every pod's namespace forwards nothing, and has no bridge.
  const bridgesIn = new Map<number, Link[]>();
  for (const l of view.snapshot.links) if (l.kind === "bridge") bridgesIn.set(l.netns, [...(bridgesIn.get(l.netns) ?? []), l]);
  for (const ns of view.snapshot.namespaces) {
    if (ns.ipForward !== false) continue;
    const bridges = (bridgesIn.get(ns.id) ?? []).filter((l) => view.links.portsOf(l).length > 0 && hasAddress(view, l.netns, l.ifindex));
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
