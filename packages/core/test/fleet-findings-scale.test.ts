import { describe, expect, it } from "vitest";
import { fleetFindings, type DockerNetwork, type NodeSnapshot } from "../src/index.js";

const HOST = 7;
const network = (name: string, subnet: string): DockerNetwork => ({ id: name.padEnd(64, "b"), name, driver: "bridge", scope: "local", internal: false, subnets: [{ subnet }], bridge: `br-${name}`, options: {}, endpoints: [] });

/** Docker host k: docker0 on 172.17.0.0/16 like every host, its own app subnet, a route to the next host's, one container on docker0. */
function host(k: number): NodeSnapshot {
  const name = `host${k}`;
  return {
    schemaVersion: 1, node: name, collectedAt: "2026-11-25T00:00:00.000Z", reader: "netlink",
    info: { hostname: name, os: "Debian", kernel: "6.1", arch: "x64", cpus: 2, memoryBytes: 1, interfaces: [] },
    namespaces: [{ id: HOST, kind: "host", names: ["host"], paths: [], processes: [{ pid: 1, comm: "init" }], ipForward: true }],
    links: [], addresses: [], neighbors: [], fdb: [], nat: [], pods: [], warnings: [],
    routes: [{ netns: HOST, family: 4, table: "main", type: "unicast", dst: `172.31.${k + 1}.0/24`, via: "192.168.50.1", dev: "eth0", protocol: "157", scope: "global", flags: [] }],
    containers: [{ id: `c${k}`.padEnd(64, "c"), name: `solo${k}`, runtime: "docker", state: "running", networkMode: "bridge", endpoints: [{ network: "bridge", ipv4: "172.17.0.2" }], ports: [] }],
    dockerNetworks: [network("bridge", "172.17.0.0/16"), network("app", `172.31.${k}.0/24`)],
  };
}

describe("fleet findings at fleet scale", () => {
  it("checks 200 Docker hosts pairwise in well under the dashboard's 5 s refresh", () => {
    const fleet = Array.from({ length: 200 }, (_, k) => host(k));
    const started = performance.now();
    const findings = fleetFindings(fleet);
    // ~0.3 s cold on a 2-core machine; re-reading every host's routes per pair took over 10 s for 200 lab-like hosts.
    expect(performance.now() - started).toBeLessThan(3_000);
    // docker0 is shared by every pair, but only neighbours route to each other.
    expect(findings.filter((f) => f.code === "docker-subnet-shared")).toHaveLength(199);
    const duplicate = findings.filter((f) => f.code === "duplicate-container-ip");
    expect(duplicate.map((f) => [f.severity, f.subjects.length])).toEqual([["warning", 201]]);
  });
});
