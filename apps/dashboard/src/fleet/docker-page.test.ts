import { describe, expect, it } from "vitest";
import type { NodeSnapshot } from "@netatlas/core";
import { labFleet } from "../../test/lab-fleet";
import { dockerPage } from "./docker-page";

const [node1, node2] = labFleet() as [NodeSnapshot, NodeSnapshot];
// A second Docker host cloned from node2: the same subnet and container IPs, which the fleet findings must name.
const fleet = [
  { name: "node1", snapshot: node1 },
  { name: "node2", snapshot: node2 },
  { name: "node3", snapshot: { ...node2, node: "node3" } },
  { name: "down", snapshot: null },
];

describe("the Docker page built on the server", () => {
  it("joins each host's networks to its kernel bridge and containers, without the snapshot behind them", () => {
    const page = dockerPage(fleet, true);
    expect(page.views.map((v) => `${v.node} ${v.network.name}`)).toEqual(["node2 labnet", "node2 bridge", "node2 host", "node2 none", "node3 labnet", "node3 bridge", "node3 host", "node3 none"]);
    const labnet = page.views[0]!;
    expect(labnet.network).toEqual({ id: "fcdd46b5bf02", name: "labnet", driver: "bridge", scope: "local", internal: false, subnets: [{ subnet: "172.30.0.0/24" }], bridge: "labnet0", mtu: 1450 });
    expect(labnet.bridge).toMatchObject({ name: "labnet0", state: "UP", addresses: ["172.30.0.1/24", expect.stringMatching(/^fe80::/)], ports: [{ name: "vethbda3d01", peer: "eth0 in node2-client" }] });
    expect(labnet.containers).toEqual([{ id: "1d42dae28599", name: "node2-pause", ipv4: "172.30.0.2", mac: "02:42:ac:1e:00:02", state: "running", pid: 272 }]);
  });

  it("has the across-hosts table and, fleet-wide, the findings that span hosts", () => {
    const page = dockerPage(fleet, true);
    expect(page.acrossHosts.hosts).toEqual(["node2", "node3"]);
    expect(page.acrossHosts.rows.find((r) => r.network === "labnet")).toMatchObject({ sharedOn: ["node2", "node3"], cells: { node3: { subnet: "172.30.0.0/24", containers: [{ name: "node2-pause", ipv4: "172.30.0.2" }] } } });
    const findings = page.fleetFindings!;
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.node === "fleet")).toBe(true);
    expect(findings.filter((f) => f.code === "duplicate-container-ip").map((f) => f.message)).toContain("172.30.0.2 is held by node2-pause on node2 and node2-pause on node3");
  });

  it("shows one node without the fleet findings (they need every host)", () => {
    const page = dockerPage(fleet.filter((n) => n.name === "node2"), false);
    expect(page.fleetFindings).toBeNull();
    expect(page.acrossHosts.hosts).toEqual(["node2"]);
    expect(new Set(page.views.map((v) => v.node))).toEqual(new Set(["node2"]));
  });

  it("has nothing to show for a node without Docker or without a snapshot", () => {
    const page = dockerPage(fleet.filter((n) => n.name === "node1" || n.name === "down"), true);
    expect(page).toMatchObject({ views: [], acrossHosts: { hosts: [], rows: [] } });
    // node1 alone still routes node2's pod subnet into its VXLAN device: with no node2 in this fleet, no node owns it.
    expect(page.fleetFindings?.map((f) => `${f.code} ${f.subjects.join(" ")}`)).toEqual(["fabric-route-stale node1/host/netatlas.1 10.244.1.0/24"]);
  });
});
