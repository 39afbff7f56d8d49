import { DEFAULT_TRACE_PACKET_SIZE, inferFabric, reachability, type InferredFabric, type ReachabilityMatrix } from "@netatlas/core";
import { reachabilityGrid, type ReachabilityGrid } from "../../fleet/reachability-grid";
import type { FleetTruth } from "../../fleet/fleet-truth";
import type { Runtime } from "../runtime";
import { memoOnContent } from "./content-memo";
import { fleetIndex, fleetSnapshots, savedTruth } from "./fleet-basis";

/**
 * The packet every cell is traced with: an ICMP echo of the trace's usual size, which is
 * what Verify sends (ping with DF set), so a cell's state and its probe answer the same question.
 */
export const MATRIX_PACKET = { protocol: "icmp", packetSize: DEFAULT_TRACE_PACKET_SIZE } as const;

function matrixOf(rt: Runtime, truth: FleetTruth, version: number): ReachabilityMatrix {
  return memoOnContent(rt.poller, `reachability:${version}`, () => {
    const matrix = reachability(fleetIndex(rt), { ...MATRIX_PACKET, spec: truth.spec });
    rt.metrics.setReachabilityFailures(matrix.summary.failed);
    return matrix;
  });
}

/**
 * The fleet's reachability matrix over the newest snapshots (and the saved spec), kept
 * until either changes: 200 nodes take about a second. Building it sets the
 * reachability-failures gauge, so /metrics reads the pairs that fail now.
 */
export async function reachabilityNow(rt: Runtime): Promise<ReachabilityMatrix> {
  const { truth, version } = await savedTruth(rt);
  return matrixOf(rt, truth, version);
}

/** The matrix as the Reachability page draws it, kept as long as the matrix; `version` names the state it was drawn from (the page asks for a pair again when it moves). */
export async function reachabilityGridNow(rt: Runtime): Promise<ReachabilityGrid & { version: string }> {
  const { truth, version } = await savedTruth(rt);
  return memoOnContent(rt.poller, `reachability-grid:${version}`, () => ({ ...reachabilityGrid(matrixOf(rt, truth, version)), version: `${rt.poller.contentVersion()}.${version}` }));
}

/** Each node's share of the fabric with what it was inferred from (or the spec's allocation). */
export async function fabricNow(rt: Runtime): Promise<InferredFabric> {
  const { truth, version } = await savedTruth(rt);
  return memoOnContent(rt.poller, `fabric:${version}`, () => inferFabric(fleetSnapshots(rt), truth.spec, truth.known));
}
