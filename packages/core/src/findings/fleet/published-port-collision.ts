import type { Finding } from "../../model/finding.js";
import type { FleetView } from "./fleet-view.js";

const ANY = new Set([undefined, "", "0.0.0.0", "::"]);
const overlapping = (a?: string, b?: string) => ANY.has(a) || ANY.has(b) || a === b;

interface Binding {
  container: string;
  hostIp?: string;
  port: number;
  protocol: string;
}

/**
 * A host port published twice on one host (two containers, overlapping host
 * addresses), or on the UDP port the fleet's VXLAN listens on: only one of
 * them gets the packets.
 */
export function publishedPortCollisions(fleet: FleetView): Finding[] {
  const findings: Finding[] = [];
  const vxlan = fleet.spec?.backend?.type === "vxlan" ? fleet.spec.backend.port : undefined;
  for (const s of fleet.snapshots) {
    const bindings: Binding[] = s.containers.filter((c) => c.state === "running").flatMap((c) => c.ports.map((p) => ({ container: c.name, hostIp: p.hostIp, port: p.hostPort, protocol: p.protocol })));
    const reported = new Set<string>();
    for (const a of bindings) {
      for (const b of bindings) {
        const key = [a.port, a.protocol, ...[a.container, b.container].sort()].join("|");
        if (a.container === b.container || a.port !== b.port || a.protocol !== b.protocol || !overlapping(a.hostIp, b.hostIp) || reported.has(key)) continue;
        reported.add(key);
        findings.push({
          code: "published-port-collision",
          severity: "error",
          message: `${s.node}: ${a.container} and ${b.container} both publish ${a.protocol} port ${a.port} (${a.hostIp || "all addresses"} / ${b.hostIp || "all addresses"})`,
          hint: "Publish one of them on another host port or another host address.",
          subjects: [`${s.node}/container/${a.container}`, `${s.node}/container/${b.container}`, `${a.protocol}/${a.port}`],
        });
      }
      if (vxlan !== undefined && a.protocol === "udp" && a.port === vxlan && !reported.has(`vxlan|${a.container}`)) {
        reported.add(`vxlan|${a.container}`);
        findings.push({
          code: "published-port-collision",
          severity: "error",
          message: `${s.node}: ${a.container} publishes udp port ${vxlan}, the port the fleet's VXLAN uses between nodes`,
          hint: "Publish the container on another port, or change backend.port in the fleet spec.",
          subjects: [`${s.node}/container/${a.container}`, `udp/${vxlan}`],
        });
      }
    }
  }
  return findings;
}
