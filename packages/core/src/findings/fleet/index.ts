import type { FleetSpec } from "../../fabric/fleet-spec.js";
import type { FabricKnowledge } from "../../fabric/inferred/infer-fabric.js";
import { bySeverity, type Finding } from "../../model/finding.js";
import type { NodeSnapshot } from "../../model/snapshot.js";
import { orphanedContainerJoins } from "./container-join-orphan.js";
import { docker0Clashes } from "./docker0-clash.js";
import { fabricFindings } from "./fabric/index.js";
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
 * between hosts that a host's firewall keeps apart; and whether each node's
 * kernel state delivers every other node's pod (and routed Docker) subnets, on
 * the fabric inferred from the snapshots or given by the spec. Worst first.
 */
export function fleetFindings(snapshots: readonly NodeSnapshot[], spec?: FleetSpec, known?: FabricKnowledge): Finding[] {
  const view = new FleetView(snapshots, spec);
  return [...FLEET_RULES.flatMap((rule) => rule(view)), ...fabricFindings(snapshots, spec, known)].sort(bySeverity);
}
