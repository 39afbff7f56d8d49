import type { Finding } from "../../model/finding.js";
import { rangesOverlap, type FleetView } from "./fleet-view.js";

/**
 * The same Docker subnet on two hosts that route to each other's Docker
 * subnets: an address in it names a container on either host, so the fleet
 * cannot route to it. (Every host's docker0 is 172.17.0.0/16 unless `bip` moves it.)
 */
export function sharedDockerSubnets(fleet: FleetView): Finding[] {
  const findings: Finding[] = [];
  const { subnets } = fleet;
  // Every pair of a 200-host fleet's subnets is compared: their ranges are parsed once.
  const ranges = subnets.map((s) => fleet.range(s.subnet));
  for (let i = 0; i < subnets.length; i++) {
    for (let j = i + 1; j < subnets.length; j++) {
      const a = subnets[i]!;
      const b = subnets[j]!;
      if (a.node === b.node || !rangesOverlap(ranges[i]!, ranges[j]!) || !fleet.routeEachOther(a.node, b.node)) continue;
      // A route that covers the shared range on either host sends some of its packets to the wrong host.
      const misrouting = [...fleet.routesInto(a.node, b.subnet), ...fleet.routesInto(b.node, a.subnet)];
      const why = misrouting.length ? `routes into it: ${misrouting.join("; ")}` : "the fleet spec routes Docker subnets between these hosts";
      findings.push({
        code: "docker-subnet-shared",
        severity: misrouting.length ? "error" : "warning",
        message: `Docker network ${a.network.name} on ${a.node} (${a.subnet}) and ${b.network.name} on ${b.node} (${b.subnet}) overlap, and the hosts route to each other (${why}): an address there is ambiguous`,
        hint: a.network.name === "bridge" || b.network.name === "bridge"
          ? 'Give each host\'s docker0 its own subnet with "bip" in /etc/docker/daemon.json (outside the fleet\'s Docker range), or leave docker0 unrouted.'
          : "Give each host its own subnet of the network: the spec's docker section allocates one per host out of its range.",
        subjects: [`${a.node}/docker/${a.network.name}`, `${b.node}/docker/${b.network.name}`, a.subnet, b.subnet],
      });
    }
  }
  return findings;
}
