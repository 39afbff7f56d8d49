import { describe, expect, it } from "vitest";
import type { DockerNetwork, NodeSnapshot } from "@netatlas/core";
import { dockerFleetTable } from "./docker-fleet-table";

const net = (name: string, subnet: string | undefined, endpoints: DockerNetwork["endpoints"] = []): DockerNetwork => ({
  id: name.padEnd(64, "0"), name, driver: subnet ? "bridge" : "host", scope: "local", internal: false, subnets: subnet ? [{ subnet, gateway: subnet.replace(/0\/\d+$/, "1") }] : [], options: {}, endpoints,
});
const host = (dockerNetworks: DockerNetwork[]) => ({ dockerNetworks }) as unknown as NodeSnapshot;

describe("the Docker networks across hosts table", () => {
  it("has a row per network and a column per Docker host, user networks first, and marks a subnet two hosts share", () => {
    const table = dockerFleetTable([
      { name: "node2", snapshot: host([net("bridge", "172.17.0.0/16"), net("host", undefined), net("app", "172.31.1.0/24", [{ containerId: "c2", name: "web", ipv4: "172.31.1.2" }])]) },
      { name: "node1", snapshot: host([net("bridge", "172.17.0.0/16"), net("app", "172.31.0.0/24"), net("db", "172.31.2.0/24")]) },
      { name: "node3", snapshot: host([]) },
      { name: "node4", snapshot: null },
    ]);
    expect(table.hosts).toEqual(["node1", "node2"]);
    expect(table.rows.map((r) => r.network)).toEqual(["app", "db", "bridge"]);
    expect(table.rows[0]).toEqual({
      network: "app",
      cells: { node1: { subnet: "172.31.0.0/24", gateway: "172.31.0.1", containers: [] }, node2: { subnet: "172.31.1.0/24", gateway: "172.31.1.1", containers: [{ name: "web", ipv4: "172.31.1.2" }] } },
      sharedOn: [],
    });
    expect(table.rows[1]?.cells.node2).toBeUndefined();
    expect(table.rows[2]?.sharedOn).toEqual(["node1", "node2"]);
  });
});
