import { prepareFleet, type FleetIndex, type NodeSnapshot } from "@netatlas/core";
import type { FleetTruth } from "../../fleet/fleet-truth";
import { latestSpec } from "../reconcile/spec-store";
import type { Runtime } from "../runtime";
import { memoOnContent } from "./content-memo";

/** The newest snapshot of every node that has one (a node that never answered has none). */
export function fleetSnapshots(rt: Runtime): NodeSnapshot[] {
  return rt.poller.nodes().flatMap((s) => (s.snapshot ? [s.snapshot] : []));
}

/** The fleet's snapshots indexed for tracing, built once per content version (the matrix and each pair's trace share it). */
export function fleetIndex(rt: Runtime): FleetIndex {
  return memoOnContent(rt.poller, "fleet-index", () => prepareFleet(fleetSnapshots(rt)));
}

/**
 * The saved spec's truth and its version: the version goes into the key of every memo
 * built with it, since a new spec changes the answer while the snapshots stay the same.
 */
export async function savedTruth(rt: Runtime): Promise<{ truth: FleetTruth; version: number }> {
  const saved = await latestSpec(rt.database.db);
  return saved ? { truth: { spec: saved.spec, known: { allocation: saved.allocation } }, version: saved.version } : { truth: {}, version: 0 };
}
