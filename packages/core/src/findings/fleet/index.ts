import type { FleetSpec } from "../../fabric/fleet-spec.js";
import { bySeverity, type Finding } from "../../model/finding.js";
import type { NodeSnapshot } from "../../model/snapshot.js";
import { orphanedContainerJoins } from "./container-join-orphan.js";
import { docker0Clashes } from "./docker0-clash.js";
import { dockerRoutesFiltered } from "./docker-route-filtered.js";
import { sharedDockerSubnets } from "./docker-subnet-shared.js";
import { duplicateContainerIps } from "./duplicate-container-ip.js";
import { FleetView } from "./fleet-view.js";
import { publishedPortCollisions } from "./published-port-collision.js";

const FLEET_RULES = [sharedDockerSubnets, duplicateContainerIps, publishedPortCollisions, orphanedContainerJoins, docker0Clashes, dockerRoutesFiltered];

/**
 * What is wrong across the fleet's Docker hosts that no single snapshot shows:
 * shared subnets between hosts that route to each other, one container IP on
 * two hosts, colliding published ports, `container:` joins whose owner died,
 * and (given the spec) a docker0 inside the fleet's ranges and Docker networks it routes
 * between hosts that a host's firewall keeps apart. Worst first.
 */
export function fleetFindings(snapshots: readonly NodeSnapshot[], spec?: FleetSpec): Finding[] {
  const view = new FleetView(snapshots, spec);
  return FLEET_RULES.flatMap((rule) => rule(view)).sort(bySeverity);
}
