import { cidrsOverlap, type NodeSnapshot } from "@netatlas/core";

export interface DockerFleetCell {
  subnet?: string;
  gateway?: string;
  containers: { name: string; ipv4?: string }[];
}

export interface DockerFleetRow {
  network: string;
  /** Host name -> the network there; absent where that host has no such network. */
  cells: Record<string, DockerFleetCell>;
  /** Hosts on which this network's subnet overlaps another host's (by name, sorted). */
  sharedOn: string[];
}

/** Networks without a subnet of their own: nothing to compare across hosts. */
const NO_SUBNET = new Set(["host", "none"]);

/**
 * Docker networks across hosts in one table: a row per network name, a column
 * per Docker host, each cell that host's subnet, gateway and containers. User
 * networks first, then Docker's own `bridge` (docker0).
 */
export function dockerFleetTable(nodes: readonly { name: string; snapshot?: NodeSnapshot | null }[]): { hosts: string[]; rows: DockerFleetRow[] } {
  const hosts = nodes.filter((n) => n.snapshot?.dockerNetworks.length).map((n) => n.name).sort();
  const rows = new Map<string, DockerFleetRow>();
  for (const node of nodes) {
    for (const network of node.snapshot?.dockerNetworks ?? []) {
      if (NO_SUBNET.has(network.name)) continue;
      const row = rows.get(network.name) ?? { network: network.name, cells: {}, sharedOn: [] };
      const v4 = network.subnets.find((s) => !s.subnet.includes(":"));
      row.cells[node.name] = { subnet: v4?.subnet, gateway: v4?.gateway, containers: network.endpoints.map((e) => ({ name: e.name, ipv4: e.ipv4 })).sort((a, b) => a.name.localeCompare(b.name)) };
      rows.set(network.name, row);
    }
  }
  for (const row of rows.values()) {
    const cells = Object.entries(row.cells).filter(([, c]) => c.subnet);
    row.sharedOn = cells.filter(([host, c]) => cells.some(([other, d]) => other !== host && cidrsOverlap(c.subnet as string, d.subnet as string))).map(([host]) => host).sort();
  }
  const rank = (name: string) => (name === "bridge" ? 1 : 0);
  return { hosts, rows: [...rows.values()].sort((a, b) => rank(a.network) - rank(b.network) || a.network.localeCompare(b.network)) };
}
