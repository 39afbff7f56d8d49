import type { Finding } from "../../model/finding.js";
import type { FleetView } from "./fleet-view.js";

/**
 * One IPv4 address held by running containers on different hosts. Harmless on
 * isolated hosts (info); when the hosts route to each other, a packet for it
 * reaches only one of them (warning).
 */
export function duplicateContainerIps(fleet: FleetView): Finding[] {
  const holders = new Map<string, Array<{ node: string; name: string }>>();
  for (const s of fleet.snapshots) {
    for (const c of s.containers) {
      if (c.runtime !== "docker" || c.state !== "running") continue;
      for (const e of c.endpoints) if (e.ipv4) holders.set(e.ipv4, [...(holders.get(e.ipv4) ?? []), { node: s.node, name: c.name }]);
    }
  }
  const findings: Finding[] = [];
  for (const [ip, list] of holders) {
    const nodes = [...new Set(list.map((h) => h.node))].sort();
    if (nodes.length < 2) continue;
    const routed = nodes.some((a, i) => nodes.slice(i + 1).some((b) => fleet.routeEachOther(a, b)));
    const who = list.map((h) => `${h.name} on ${h.node}`).sort();
    findings.push({
      code: "duplicate-container-ip",
      severity: routed ? "warning" : "info",
      message: `${ip} is held by ${who.join(" and ")}${routed ? "; these hosts route to each other, so a packet for it reaches only one of them" : ""}`,
      hint: "Give each host its own Docker subnets (the spec's docker section allocates them per host), so an address names one container in the fleet.",
      subjects: [ip, ...list.map((h) => `${h.node}/container/${h.name}`)],
    });
  }
  return findings;
}
