import { fleetFindings, type Finding } from "@netatlas/core";
import type { Runtime } from "../runtime";
import { memoOnContent } from "./content-memo";
import { fleetSnapshots, savedTruth } from "./fleet-basis";

/**
 * What is wrong across the nodes together (core's fleet findings: Docker across hosts, and
 * whether each node's kernel state delivers every other node's subnets), over the newest
 * snapshots and against the saved spec when there is one; kept until either changes.
 */
export async function fleetFindingsNow(rt: Runtime): Promise<Finding[]> {
  const { truth, version } = await savedTruth(rt);
  return memoOnContent(rt.poller, `fleet-findings:${version}`, () => fleetFindings(fleetSnapshots(rt), truth.spec, truth.known));
}
