import { describe, expect, it } from "vitest";
import {
  allocate,
  allocateDocker,
  describeOp,
  FleetSpec,
  fleetFindings,
  NodeIntent,
  NETATLAS_LINK_ALIAS,
  NETATLAS_NFT_TABLE,
  NETATLAS_ROUTE_PROTOCOL,
  plan,
  podFabricOf,
  probeRefusal,
  validateFleetSpec,
  type FleetSpecInput,
  type NodeSnapshot,
} from "../src/index.js";
import { dockerHost, dockerNetwork, HOST_NETNS } from "./support/docker-host.js";
import { simulateOps } from "./support/simulate-ops.js";
import { intentFor, specErrors } from "./support/spec.js";

const NODES = [
  { name: "node-a", underlayIp: "192.168.50.10" },
  { name: "node-b", underlayIp: "192.168.50.11" },
];
const DOCKER = { range: "172.30.0.0/16", hosts: ["node-a", "node-b"], networks: [{ name: "app" }] };

/** A fleet of plain Docker hosts: no podCidr, no backend. */
const dockerOnly = (docker: Record<string, unknown> = {}, over: Partial<FleetSpecInput> = {}): FleetSpecInput => ({ nodes: NODES, docker: { ...DOCKER, ...docker } as FleetSpecInput["docker"], ...over });

/** The pod fabric's ops: what a Docker-only plan must never hold. */
const POD_OPS = new Set(["add-bridge", "add-vxlan", "set-mtu", "add-address", "set-up", "replace-neigh", "add-fdb", "set-masquerade"]);

describe("a fleet spec without a pod fabric (plain Docker hosts)", () => {
  it("is valid with a docker section and no podCidr or backend, and has no pod fabric", () => {
    const result = validateFleetSpec(dockerOnly());
    expect(result.ok, JSON.stringify(result)).toBe(true);
    const spec = FleetSpec.parse(dockerOnly());
    expect(spec.podCidr).toBeUndefined();
    expect(spec.backend).toBeUndefined();
    expect(podFabricOf(spec)).toBeUndefined();
    expect(allocate(spec)).toEqual({});
    expect(allocateDocker(spec)).toEqual({ app: { "node-a": "172.30.0.0/24", "node-b": "172.30.1.0/24" } });
  });

  it("lets the Docker range take what would be a pod CIDR, since there is none", () => {
    expect(specErrors(dockerOnly({ range: "10.244.0.0/16" }))).toEqual([]);
  });

  it("is an error, saying so, when the spec has neither a pod fabric nor Docker networks", () => {
    expect(specErrors({ nodes: NODES })).toEqual([{ path: "(spec)", message: expect.stringMatching(/needs a pod fabric \(podCidr and backend\), Docker networks \(docker\), or both; this spec has neither/) }]);
  });

  it.each([
    [dockerOnly({}, { podCidr: "10.244.0.0/16" }), "backend", /is required with podCidr/],
    [dockerOnly({}, { backend: { type: "host-gw" } }), "podCidr", /is required with backend/],
    [dockerOnly({ routing: "vxlan" }), "docker.routing", /no pod fabric \(podCidr, backend\); use host-gw/],
    [dockerOnly({ hosts: ["node-a", "node-z"] }), "docker.hosts.1", /"node-z" is not a node of the fleet/],
    [dockerOnly({ range: "192.168.48.0/21" }), "docker.range", /holds node-a's underlay address/],
    [dockerOnly({ networks: [{ name: "app", mtu: 1600 }] }), "docker.networks.0.mtu", /exceeds the MTU of the path between hosts \(1500, host-gw\)/],
    [dockerOnly({}, { nodes: [{ name: "node-a", underlayIp: "192.168.50.300" }] }), "nodes.0.underlayIp", /IPv4 address/],
  ])("still names the field of a mistake (%#: %s)", (input, path, message) => {
    const errors = specErrors(input);
    expect(errors.find((e) => e.path === path)?.message, JSON.stringify(errors)).toMatch(message);
  });
});

describe("node intent without a pod fabric", () => {
  it("gives a Docker host its Docker part and nothing of a pod fabric: no bridge, VXLAN, pod routes or masquerade", () => {
    const intent = intentFor(dockerOnly(), "node-a");
    expect(intent).toEqual({
      node: "node-a",
      routes: [],
      neighbors: [],
      fdb: [],
      masquerade: false,
      docker: {
        networks: [{ name: "app", subnet: "172.30.0.0/24", gateway: "172.30.0.1", mtu: 1500, masquerade: false, icc: true }],
        routes: [{ dst: "172.30.1.0/24", via: "192.168.50.11", dev: "eth0", onlink: false }],
        nat: { sources: ["172.30.0.0/24"], except: "172.30.0.0/16" },
      },
    });
    expect(NodeIntent.parse(intent)).toEqual(intent);
  });

  it("gives a node that is not a Docker host an intent with nothing to do", () => {
    const intent = intentFor(dockerOnly({ hosts: ["node-b"] }), "node-a");
    expect(intent).toEqual({ node: "node-a", routes: [], neighbors: [], fdb: [], masquerade: false });
    expect(plan(dockerHost("node-a", "192.168.50.10"), intent).ops).toEqual([]);
  });

  it("refuses an intent with half a pod fabric, or pod parts without one, naming each field", () => {
    const full = intentFor({ podCidr: "10.244.0.0/16", backend: { type: "vxlan" }, nodes: NODES }, "node-a");
    const { subnet: _s, ...noSubnet } = full;
    const paths = (input: unknown) => (NodeIntent.safeParse(input).error?.issues ?? []).map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(paths(noSubnet)).toEqual([expect.stringMatching(/^subnet: is missing: podCidr, subnet, bridge come together/)]);
    const { podCidr: _p, subnet: _s2, bridge: _b, ...podless } = full;
    expect(paths(podless)).toEqual([
      expect.stringMatching(/^vxlan: a VXLAN device needs the pod fabric/),
      expect.stringMatching(/^routes: routes to pod subnets needs the pod fabric/),
      expect.stringMatching(/^neighbors: neighbours needs the pod fabric/),
      expect.stringMatching(/^fdb: FDB entries needs the pod fabric/),
      expect.stringMatching(/^masquerade: pod masquerade needs the pod fabric/),
    ]);
  });
});

describe("planning a Docker-only fleet", () => {
  const intent = intentFor(dockerOnly(), "node-a");

  it("makes only Docker ops and leaves the CNI plugin's cni0 and a foreign route to a pod subnet alone", () => {
    const host = dockerHost("node-a", "192.168.50.10");
    const p = plan(host, intent);
    expect(p.conflicts).toEqual([]);
    expect(p.ops.map(describeOp)).toEqual([
      "docker network create --driver bridge --subnet 172.30.0.0/24 --gateway 172.30.0.1 --opt com.docker.network.driver.mtu=1500 --opt com.docker.network.bridge.enable_ip_masquerade=false --opt com.docker.network.bridge.enable_icc=true app",
      "ip route replace 172.30.1.0/24 via 192.168.50.11 dev eth0",
      "nft: masquerade 172.30.0.0/24 -> outside 172.30.0.0/16 (table ip netatlas_docker)",
    ]);
    const applied = simulateOps(host, p.ops);
    expect(applied.links.map((l) => l.name)).toContain("cni0");
    expect(applied.routes.map((r) => `${r.dst} ${r.protocol}`)).toEqual(expect.arrayContaining(["10.244.0.0/24 kernel", "10.244.1.0/24 static"]));
    expect(plan(applied, intent).ops).toEqual([]);
  });

  it("creates no pod bridge on a host that has none", () => {
    const host = dockerHost("node-a", "192.168.50.10");
    host.links = host.links.filter((l) => l.name !== "cni0");
    host.addresses = host.addresses.filter((a) => a.ifname !== "cni0");
    host.routes = host.routes.filter((r) => r.dev !== "cni0");
    expect(plan(host, intent).ops.filter((op) => POD_OPS.has(op.op))).toEqual([]);
  });

  it("removes only what netatlas made for an earlier pod fabric (owned routes, its VXLAN device, its masquerade), never cni0 or foreign routes", () => {
    const app = { networks: [{ name: "app", mtu: 1450 }] };
    const host = dockerHost("node-a", "192.168.50.10");
    host.routes = host.routes.filter((r) => r.protocol !== "static");
    host.routes.push({ netns: HOST_NETNS, family: 4, table: "main", type: "unicast", dst: "10.99.0.0/16", via: "192.168.50.1", dev: "eth0", protocol: "static", scope: "global", flags: [] });
    const earlier = intentFor({ podCidr: "10.244.0.0/16", backend: { type: "vxlan" }, nodes: NODES, docker: { ...DOCKER, ...app, routing: "vxlan" } }, "node-a");
    const withPods: NodeSnapshot = simulateOps(host, plan(host, earlier).ops);
    expect(withPods.links.some((l) => l.name === "netatlas.1" && l.alias === NETATLAS_LINK_ALIAS)).toBe(true);
    expect(withPods.routes.filter((r) => r.protocol === NETATLAS_ROUTE_PROTOCOL).map((r) => `${r.dst} ${r.dev}`).sort()).toEqual(["10.244.1.0/24 netatlas.1", "172.30.1.0/24 netatlas.1"]);
    expect(withPods.nat.some((r) => r.table === NETATLAS_NFT_TABLE)).toBe(true);

    const now = intentFor(dockerOnly(app), "node-a");
    const p = plan(withPods, now);
    expect(p.ops.filter((op) => POD_OPS.has(op.op))).toEqual([]);
    expect(p.ops.map(describeOp)).toEqual([
      "ip route del 10.244.1.0/24 via 10.244.1.0 dev netatlas.1",
      "ip link del netatlas.1",
      "ip route replace 172.30.1.0/24 via 192.168.50.11 dev eth0",
      "nft delete table ip netatlas",
    ]);
    expect(p.ops.find((op) => op.op === "del-masquerade")?.reason).toBe("the fleet spec has no pod fabric any more");

    const after = simulateOps(withPods, p.ops);
    expect(after.links.map((l) => l.name).sort()).toEqual(["cni0", "eth0", "lo"]);
    expect(after.routes.map((r) => `${r.dst} ${r.protocol}`).sort()).toEqual(["10.244.0.0/24 kernel", "10.99.0.0/16 static", `172.30.1.0/24 ${NETATLAS_ROUTE_PROTOCOL}`, "192.168.50.0/24 kernel"]);
    expect(after.nat.some((r) => r.table === NETATLAS_NFT_TABLE)).toBe(false);
    expect(plan(after, now).ops).toEqual([]);
  });

  it("says how to move a docker0 that clashes with a Docker subnet, without naming a pod CIDR", () => {
    const host = dockerHost("node-a", "192.168.50.10");
    host.dockerNetworks[0] = dockerNetwork("bridge", "172.30.1.0/24", { bridge: "docker0" });
    expect(plan(host, intent).conflicts).toEqual([expect.stringMatching(/^docker0 \(172\.30\.1\.0\/24\) overlaps another host's Docker subnet 172\.30\.1\.0\/24; move it with "bip"/)]);
  });

  it("lets the agent probe the other Docker hosts it routes to", () => {
    expect(probeRefusal("192.168.50.11", dockerHost("node-a", "192.168.50.10"), intent)).toBeUndefined();
    expect(probeRefusal("8.8.8.8", dockerHost("node-a", "192.168.50.10"), intent)).toMatch(/^8\.8\.8\.8 is outside the fleet this agent knows \(its fabric routes/);
  });

  it("gives fleet findings against a Docker-only spec (docker0 inside the Docker range, no pod CIDR to clash with)", () => {
    const a = dockerHost("node-a", "192.168.50.10");
    a.dockerNetworks[0] = dockerNetwork("bridge", "172.30.200.0/24", { bridge: "docker0" });
    const findings = fleetFindings([a, dockerHost("node-b", "192.168.50.11")], FleetSpec.parse(dockerOnly()));
    expect(findings.filter((f) => f.code === "docker0-clash").map((f) => f.message)).toEqual(["node-a: docker0 (172.30.200.0/24) overlaps the fleet's Docker range 172.30.0.0/16"]);
  });
});

describe("specs with a pod fabric plan exactly as before", () => {
  // Hashes recorded before the pod fabric became optional: the same specs must keep them, or reviewed plans would be refused.
  const specs: Record<string, FleetSpecInput> = {
    hostGw: { podCidr: "10.244.0.0/16", backend: { type: "host-gw" }, nodes: NODES },
    vxlan: { podCidr: "10.244.0.0/16", backend: { type: "vxlan" }, masquerade: false, nodes: NODES },
    dockerHostGw: { podCidr: "10.244.0.0/16", backend: { type: "host-gw" }, nodes: NODES, docker: DOCKER },
    dockerVxlan: { podCidr: "10.244.0.0/16", backend: { type: "vxlan" }, nodes: NODES, docker: { ...DOCKER, routing: "vxlan", networks: [{ name: "app", mtu: 1450 }, { name: "db", mtu: 1400, masquerade: false }] } },
  };
  const recorded: Record<string, [string, string, number]> = {
    hostGw: ["37483ebdb4a1cd02594ad45b2f5c028ce5183a16ff535f01518720047dd52e2f", "10b6cc0d8b800788f0045423b4791d794e4d146a90541b193e4cd294983ecb87", 2],
    vxlan: ["8d5cacc8b0c151f8c18b253bd2f83d2a16543f50223bad2c19384c632e4b490c", "28652fbfe113c5e5e988225b991a1d8a8fa1e5394423545089cab4be7f537fb1", 6],
    dockerHostGw: ["a65398e879ac7201bdd7aaf6d8400a98306bdb2240df0b268a9b93fbebf4e004", "ea7ae47dcd74562aaac876d865b4625549db95d5c69730025a17b87ebaf92005", 5],
    dockerVxlan: ["a2a1adec0ae5d9527775496bf3421b38b877f71459e021c26774f16a8a9af070", "fa1b75cd60fbf1e9598f74599d9e82ed4310de503874b19f9191082050f40ebb", 12],
  };

  it.each(Object.keys(specs))("%s: the same ops and hashes, before and after applying", (name) => {
    const intent = intentFor(specs[name]!, "node-a");
    const host = dockerHost("node-a", "192.168.50.10", [dockerNetwork("app", "172.30.0.0/24", { labels: { "io.netatlas.owned": "true" } })]);
    const first = plan(host, intent);
    const second = plan(simulateOps(host, first.ops), intent);
    expect([first.hash, second.hash, first.ops.length]).toEqual(recorded[name]);
  });
});
