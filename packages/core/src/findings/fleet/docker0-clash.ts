import type { Finding } from "../../model/finding.js";
import { cidrsOverlap } from "../../net/cidr.js";
import type { FleetView } from "./fleet-view.js";

/** A host's docker0 inside a range the fleet spec gives to something else: says how to move it; netatlas never rewrites daemon.json. */
export function docker0Clashes(fleet: FleetView): Finding[] {
  const spec = fleet.spec;
  if (!spec) return [];
  const ranges = [
    ...(spec.podCidr ? [{ cidr: spec.podCidr, what: `the pod CIDR ${spec.podCidr}` }] : []),
    ...(spec.docker ? [{ cidr: spec.docker.range, what: `the fleet's Docker range ${spec.docker.range}` }] : []),
    ...spec.reserved.map((r) => ({ cidr: r, what: `reserved ${r}` })),
  ];
  return fleet.subnets
    .filter((s) => s.network.name === "bridge")
    .flatMap((s) => {
      const hit = ranges.find((r) => cidrsOverlap(r.cidr, s.subnet));
      if (!hit) return [];
      return [
        {
          code: "docker0-clash",
          severity: "error" as const,
          message: `${s.node}: docker0 (${s.subnet}) overlaps ${hit.what}`,
          hint: 'Move docker0: set "bip" (for example "172.17.0.1/16") in /etc/docker/daemon.json on this host and restart dockerd. netatlas does not rewrite the daemon\'s config.',
          subjects: [`${s.node}/docker/bridge`, s.subnet, hit.cidr],
        },
      ];
    });
}
