import type { FabricKnowledge, FleetSpec } from "@netatlas/core";

/**
 * What the fleet's snapshots are checked against beyond themselves: the fleet spec, when
 * one was saved, and the allocation it was saved with (the spec's subnets are the truth
 * then; without a spec the fabric is inferred from the snapshots).
 */
export interface FleetTruth {
  spec?: FleetSpec;
  known?: FabricKnowledge;
}
