import { fleetFindings, type NodeSnapshot } from "@netatlas/core";
import type { FleetFinding } from "./aggregate";
import type { FleetTruth } from "./fleet-truth";
import { dockerFleetTable, type DockerFleetRow } from "./docker-fleet-table";
import { dockerNetworkViews, type DockerNetworkView } from "./docker-view";

/** Everything the Docker page shows, built on the server so the browser never receives whole snapshots. */
export interface DockerPageData {
  /** Each node's Docker networks joined to its kernel bridge and containers. */
  views: DockerNetworkView[];
  /** Network × host. */
  acrossHosts: { hosts: string[]; rows: DockerFleetRow[] };
  /** What is wrong across the hosts together; null when the page shows one node. */
  fleetFindings: FleetFinding[] | null;
}

/** The Docker page of some nodes; `fleetWide` adds the findings that span hosts (they need every host), checked against the spec when there is one. */
export function dockerPage(nodes: readonly { name: string; snapshot?: NodeSnapshot | null }[], fleetWide: boolean, truth: FleetTruth = {}): DockerPageData {
  const withSnapshot = nodes.flatMap((n) => (n.snapshot ? [{ name: n.name, snapshot: n.snapshot }] : []));
  return {
    views: withSnapshot.flatMap((n) => dockerNetworkViews(n.name, n.snapshot)),
    acrossHosts: dockerFleetTable(withSnapshot),
    // Fleet findings span hosts: the hosts are named in each message and its subjects.
    fleetFindings: fleetWide ? fleetFindings(withSnapshot.map((n) => n.snapshot), truth.spec, truth.known).map((f) => ({ ...f, node: "fleet" })) : null,
  };
}
