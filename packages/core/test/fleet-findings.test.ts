import { describe, expect, it } from "vitest";
import { FleetSpec, fleetFindings, type Container, type DockerNetwork, type NodeSnapshot } from "../src/index.js";
import { emptySnapshot, HOST_NETNS as HOST } from "./support/snapshot.js";

function network(name: string, subnet: string): DockerNetwork {
  return { id: name.padEnd(64, "b"), name, driver: "bridge", scope: "local", internal: false, subnets: [{ subnet }], bridge: `br-${name}`, options: {}, endpoints: [] };
}

function container(name: string, over: Partial<Container> = {}): Container {
  return { id: `${name}`.padEnd(64, "c"), name, runtime: "docker", state: "running", networkMode: "app", endpoints: [], ports: [], ...over };
}

function host(name: string, over: Partial<NodeSnapshot> = {}): NodeSnapshot {
  return emptySnapshot(name, {
    dockerNetworks: [network("bridge", "172.17.0.0/16")],
    ...over,
  });
}

const route = (dst: string, via: string) => ({ netns: HOST, family: 4 as const, table: "main", type: "unicast" as const, dst, via, dev: "eth0", protocol: "157", scope: "global", flags: [] });
const codes = (snapshots: NodeSnapshot[], spec?: FleetSpec) => fleetFindings(snapshots, spec).map((f) => `${f.code} ${f.severity}`);

const SPEC = FleetSpec.parse({
  podCidr: "10.244.0.0/16",
  backend: { type: "vxlan" },
  nodes: [
    { name: "a", underlayIp: "192.168.50.11" },
    { name: "b", underlayIp: "192.168.50.12" },
  ],
  docker: { range: "172.30.0.0/16", hosts: ["a", "b"], networks: [{ name: "app", mtu: 1450 }] },
});

describe("fleet findings", () => {
  it("finds nothing on hosts with their own subnets and distinct addresses", () => {
    const a = host("a", { dockerNetworks: [network("app", "172.30.0.0/24")], routes: [route("172.30.1.0/24", "192.168.50.12")] });
    const b = host("b", { dockerNetworks: [network("app", "172.30.1.0/24")], routes: [route("172.30.0.0/24", "192.168.50.11")] });
    expect(fleetFindings([a, b])).toEqual([]);
  });

  it("reports one Docker subnet on two hosts that route to each other: an error when a route covers it, a warning when only the spec routes", () => {
    const a = host("a", { dockerNetworks: [network("app", "172.30.0.0/24")], routes: [route("172.30.0.0/16", "192.168.50.12")] });
    const b = host("b", { dockerNetworks: [network("app", "172.30.0.0/24")] });
    const [finding] = fleetFindings([a, b]).filter((f) => f.code === "docker-subnet-shared" && f.subjects.includes("a/docker/app"));
    expect(finding).toMatchObject({ severity: "error", message: expect.stringMatching(/app on a \(172\.30\.0\.0\/24\) and app on b \(172\.30\.0\.0\/24\) overlap.*a: 172\.30\.0\.0\/16 via 192\.168\.50\.12/) });
    // Every docker0 is 172.17.0.0/16: shared as soon as the spec routes Docker subnets between the hosts.
    // (These bare hosts also lack the spec's pod fabric routes: fabric findings of their own.)
    const docker0 = fleetFindings([host("a"), host("b")], SPEC).filter((f) => f.code.startsWith("docker"));
    expect(docker0).toEqual([expect.objectContaining({ code: "docker-subnet-shared", severity: "warning", hint: expect.stringMatching(/"bip" in \/etc\/docker\/daemon\.json/) })]);
  });

  it("does not report shared subnets between hosts that do not route to each other", () => {
    expect(codes([host("a", { dockerNetworks: [network("app", "172.30.0.0/24")] }), host("b", { dockerNetworks: [network("app", "172.30.0.0/24")] })])).toEqual([]);
  });

  it("reports one container IP on two hosts: info while the hosts are apart, a warning once they route to each other", () => {
    const a = host("a", { containers: [container("web", { endpoints: [{ network: "bridge", ipv4: "172.17.0.2" }] })] });
    const b = host("b", { containers: [container("db", { endpoints: [{ network: "bridge", ipv4: "172.17.0.2" }] }), container("old", { state: "exited", endpoints: [{ network: "bridge", ipv4: "172.17.0.3" }] })] });
    expect(fleetFindings([a, b])).toEqual([expect.objectContaining({ code: "duplicate-container-ip", severity: "info", message: "172.17.0.2 is held by db on b and web on a" })]);
    expect(fleetFindings([a, b], SPEC).find((f) => f.code === "duplicate-container-ip")?.severity).toBe("warning");
  });

  it("reports a host port published twice on one host, and one on the fleet's VXLAN port, but not the same port on two hosts", () => {
    const web = container("web", { ports: [{ hostPort: 8080, containerPort: 80, protocol: "tcp" }, { hostIp: "::", hostPort: 8080, containerPort: 80, protocol: "tcp" }] });
    const api = container("api", { ports: [{ hostIp: "127.0.0.1", hostPort: 8080, containerPort: 8000, protocol: "tcp" }] });
    const vx = container("vx", { ports: [{ hostPort: 8472, containerPort: 8472, protocol: "udp" }] });
    const findings = fleetFindings([host("a", { containers: [web, api, vx] }), host("b", { containers: [container("web2", { ports: web.ports })] })], SPEC).filter((f) => f.code === "published-port-collision");
    expect(findings.map((f) => f.message).sort()).toEqual(["a: vx publishes udp port 8472, the port the fleet's VXLAN uses between nodes", "a: web and api both publish tcp port 8080 (all addresses / 127.0.0.1)"]);
  });

  it("reports a running `container:` joiner whose owner stopped or is gone, not one whose owner runs", () => {
    const pause = container("pause");
    const web = container("web", { networkMode: `container:${pause.id}` });
    expect(codes([host("a", { containers: [pause, web] })])).toEqual([]);
    const stopped = fleetFindings([host("a", { containers: [{ ...pause, state: "exited" }, web] })]);
    expect(stopped).toEqual([expect.objectContaining({ code: "container-join-orphan", message: "a: web joined the network of pause, which is exited; it is left without the owner's network" })]);
    expect(fleetFindings([host("a", { containers: [web] })])[0]?.message).toMatch(/which no longer exists/);
  });

  it("given the spec, reports a docker0 moved into a fleet range and says how to move it back", () => {
    const a = host("a", { dockerNetworks: [network("bridge", "172.30.200.0/24")] });
    expect(fleetFindings([a], SPEC)).toEqual([expect.objectContaining({ code: "docker0-clash", message: "a: docker0 (172.30.200.0/24) overlaps the fleet's Docker range 172.30.0.0/16", hint: expect.stringMatching(/"bip".*daemon\.json.*does not rewrite/) })]);
  });
});
