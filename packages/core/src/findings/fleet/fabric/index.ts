import { FabricContext } from "../../../fabric/delivery/fabric-context.js";
import type { FabricKnowledge } from "../../../fabric/inferred/infer-fabric.js";
import type { FleetSpec } from "../../../fabric/fleet-spec.js";
import type { Finding } from "../../../model/finding.js";
import type { NodeSnapshot } from "../../../model/snapshot.js";
import type { FleetIndex } from "../../../trace/fleet-index.js";
import { fabricMtuFindings } from "./fabric-mtu.js";
import { fabricRouteFindings } from "./fabric-routes.js";
import { staleFabricRoutes } from "./stale-routes.js";
import { subnetOwnershipFindings } from "./subnet-ownership.js";
import { vxlanDeviceFindings } from "./vxlan-devices.js";

const FABRIC_RULES = [fabricRouteFindings, staleFabricRoutes, vxlanDeviceFindings, fabricMtuFindings, subnetOwnershipFindings];

/**
 * Whether every node's kernel state delivers every other node's subnets, as the
 * fabric needs: inferred from the snapshots (or given by the spec), checked
 * pair by pair with the kernel's rules. Each finding names both nodes, the
 * subnet, the kernel object at fault and, where a command mends it, the fix.
 */
export function fabricFindings(fleet: FleetIndex | readonly NodeSnapshot[], spec?: FleetSpec, known?: FabricKnowledge): Finding[] {
  const ctx = new FabricContext(fleet, spec, known);
  return FABRIC_RULES.flatMap((rule) => rule(ctx));
}
