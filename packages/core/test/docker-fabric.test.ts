import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  allocateDocker,
  cidrContains,
  cidrsOverlap,
  describeOp,
  dockerAllocationOf,
  FleetSpec,
  isDisruptive,
  NodeIntent,
  plan,
  validateFleetSpec,
  type DockerNetwork,
  type FleetSpecInput,
  type NodeSnapshot,
} from "../src/index.js";
import { simulateOps } from "./support/simulate-ops.js";
import { intentFor, specErrors } from "./support/spec.js";
import { dockerNetwork } from "./support/docker-host.js";
import { emptySnapshot, HOST_NETNS } from "./support/snapshot.js";

const NODES = [
  { name: "node-a", underlayIp: "192.168.50.10" },
  { name: "node-b", underlayIp: "192.168.50.11" },
  { name: "node-c", underlayIp: "192.168.50.12" },
];

function spec(docker: Record<string, unknown> = {}, over: Partial<FleetSpecInput> = {}): FleetSpecInput {
  return {
    podCidr: "10.244.0.0/16",
    backend: { type: "host-gw" },
    nodes: NODES,
    docker: { range: "172.30.0.0/16", hosts: ["node-a", "node-b"], networks: [{ name: "app" }], ...docker } as FleetSpecInput["docker"],
    ...over,
  };
}

/** A Docker host as dockerd 20.10 starts: docker0 (bridge), host and none. */
function dockerHost(name: string, underlayIp: string, networks: DockerNetwork[] = []): NodeSnapshot {
  const host = HOST_NETNS;
  return emptySnapshot(name, {
    links: [
      { netns: host, ifindex: 1, name: "lo", kind: "loopback", mtu: 65536, state: "UNKNOWN", flags: ["UP"] },
      { netns: host, ifindex: 2, name: "eth0", kind: "veth", mtu: 1500, state: "UP", flags: ["UP"] },
      { netns: host, ifindex: 3, name: "cni0", kind: "bridge", mtu: 1500, state: "UP", flags: ["UP"] },
    ],
    addresses: [{ netns: host, ifindex: 2, ifname: "eth0", family: 4, address: underlayIp, prefixLength: 24, scope: "global" }],
    routes: [{ netns: host, family: 4, table: "main", type: "unicast", dst: "192.168.50.0/24", dev: "eth0", protocol: "kernel", scope: "link", flags: [], prefsrc: underlayIp }],
    dockerNetworks: [
      dockerNetwork("bridge", "172.17.0.0/16", { bridge: "docker0" }),
      { ...dockerNetwork("host", "0.0.0.0/0"), driver: "host", subnets: [], bridge: undefined },
      { ...dockerNetwork("none", "0.0.0.0/0"), driver: "null", subnets: [], bridge: undefined },
      ...networks,
    ],
  });
}

describe("fleet spec: the docker section", () => {
  it("accepts a good section and fills in each network's defaults", () => {
    const result = validateFleetSpec(spec());
    expect(result.ok && result.spec.docker).toEqual({ range: "172.30.0.0/16", hosts: ["node-a", "node-b"], routing: "host-gw", networks: [{ name: "app", driver: "bridge", subnetPrefix: 24, mtu: 1500, masquerade: true, icc: true }] });
  });

  it.each([
    [spec({ range: "10.244.128.0/20" }), "docker.range", /overlaps the pod CIDR 10\.244\.0\.0\/16/],
    [spec({ range: "172.16.0.0/12" }), "docker.range", /overlaps 172\.17\.0\.0\/16 \(Docker's default bridge/],
    [spec({ range: "172.30.0.0/16" }, { reserved: ["172.30.5.0/24"] }), "docker.range", /overlaps 172\.30\.5\.0\/24 \(reserved\)/],
    [spec({ range: "192.168.48.0/21" }), "docker.range", /holds node-a's underlay address 192\.168\.50\.10/],
    [spec({ range: "172.30.0.0/24", networks: [{ name: "app" }, { name: "db" }] }), "docker.range", /has 256 addresses, but 2 hosts × 2 networks need 1024/],
    [spec({ range: "172.30.0.0/26" }), "docker.networks.0.subnetPrefix", /\/24 is bigger than the Docker range/],
    [spec({ networks: [{ name: "app" }, { name: "app" }] }), "docker.networks.1.name", /appears twice/],
    [spec({ networks: [{ name: "bridge" }] }), "docker.networks.0.name", /Docker's own networks/],
    [spec({ networks: [{ name: "app; rm" }] }), "docker.networks.0.name", /letters, digits/],
    [spec({ hosts: ["node-a", "node-z"] }), "docker.hosts.1", /"node-z" is not a node of the fleet/],
    [spec({ hosts: ["node-a", "node-a"] }), "docker.hosts.1", /appears twice/],
    [spec({ routing: "vxlan" }), "docker.routing", /backend\.type is host-gw/],
    [spec({ routing: "vxlan", networks: [{ name: "app", mtu: 1500 }] }, { backend: { type: "vxlan" } }), "docker.networks.0.mtu", /exceeds the MTU of the path between hosts \(1450, vxlan\); use at most 1450/],
    [spec({ range: "172.30.0.0/33" }), "docker.range", /IPv4 CIDR/],
    [spec({ networks: [] }), "docker.networks", /at least one Docker network/],
  ])("rejects a bad docker section, naming the field (%#: %s)", (input, path, message) => {
    const errors = specErrors(input);
    expect(errors.find((e) => e.path === path)?.message, JSON.stringify(errors)).toMatch(message);
  });
});

describe("docker allocation", () => {
  it("gives each host its own subnet per network, the same every time, lowest first in name order", () => {
    const s = FleetSpec.parse(spec({ hosts: ["node-b", "node-a"], networks: [{ name: "app" }, { name: "db", subnetPrefix: 25 }] }));
    expect(allocateDocker(s)).toEqual({ app: { "node-a": "172.30.0.0/24", "node-b": "172.30.1.0/24" }, db: { "node-a": "172.30.2.0/25", "node-b": "172.30.2.128/25" } });
    expect(allocateDocker(s)).toEqual(allocateDocker(FleetSpec.parse(spec({ hosts: ["node-b", "node-a"], networks: [{ name: "db", subnetPrefix: 25 }, { name: "app" }] }))));
  });

  it("keeps the subnets hosts already have when a host joins, and reads them back from dockerd's networks", () => {
    const before = FleetSpec.parse(spec({ hosts: ["node-b"] }));
    const had = allocateDocker(before);
    expect(had).toEqual({ app: { "node-b": "172.30.0.0/24" } });
    const previous = dockerAllocationOf({ "node-b": [dockerNetwork("app", "172.30.0.0/24")] });
    expect(allocateDocker(FleetSpec.parse(spec({ hosts: ["node-a", "node-b"] })), previous)).toEqual({ app: { "node-a": "172.30.1.0/24", "node-b": "172.30.0.0/24" } });
  });

  it("never hands out overlapping subnets or ones outside the range (any hosts, networks and prefixes that fit)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.uniqueArray(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 4 }), fc.array(fc.integer({ min: 22, max: 28 }), { minLength: 1, maxLength: 4 }), (hostCount, ids, prefixes) => {
        const input = spec({ range: "172.30.0.0/18", hosts: NODES.slice(0, hostCount).map((n) => n.name), networks: ids.map((id, i) => ({ name: `n${id}`, subnetPrefix: prefixes[i % prefixes.length] })) });
        if (!validateFleetSpec(input).ok) return;
        const subnets = Object.values(allocateDocker(FleetSpec.parse(input))).flatMap((byHost) => Object.values(byHost));
        expect(subnets).toHaveLength(hostCount * ids.length);
        for (const [i, a] of subnets.entries()) {
          expect(cidrContains("172.30.0.0/18", a)).toBe(true);
          for (const b of subnets.slice(i + 1)) expect(cidrsOverlap(a, b), `${a} ${b}`).toBe(false);
        }
      }),
    );
  });
});

describe("node intent: the Docker part", () => {
  it("gives a Docker host its networks (gateway .1) and host-gw routes to the other hosts' subnets", () => {
    const intent = intentFor(spec({ networks: [{ name: "app", mtu: 1400, masquerade: false }] }), "node-a");
    expect(NodeIntent.parse(intent)).toEqual(intent);
    expect(intent.docker).toEqual({
      networks: [{ name: "app", subnet: "172.30.0.0/24", gateway: "172.30.0.1", mtu: 1400, masquerade: false, icc: true }],
      routes: [{ dst: "172.30.1.0/24", via: "192.168.50.11", dev: "eth0", onlink: false }],
    });
  });

  it("masquerades routed networks itself, except toward the fleet's Docker range; unrouted ones keep Docker's own masquerade", () => {
    const routed = intentFor(spec({ networks: [{ name: "app" }, { name: "db", masquerade: false }] }), "node-b");
    expect(routed.docker?.networks.map((n) => [n.name, n.masquerade])).toEqual([["app", false], ["db", false]]);
    expect(routed.docker?.nat).toEqual({ sources: ["172.30.1.0/24"], except: "172.30.0.0/16" });
    const apart = intentFor(spec({ routing: "none", networks: [{ name: "app" }] }), "node-b");
    expect(apart.docker).toEqual({ networks: [expect.objectContaining({ name: "app", masquerade: true })], routes: [] });
  });

  it("routes over the pod fabric's VXLAN to the peer's VTEP when asked, and not at all with routing none", () => {
    const vxlan = intentFor(spec({ routing: "vxlan", networks: [{ name: "app", mtu: 1450 }] }, { backend: { type: "vxlan" } }), "node-b");
    expect(vxlan.docker?.routes).toEqual([{ dst: "172.30.0.0/24", via: "10.244.0.0", dev: "netatlas.1", onlink: true }]);
    expect(intentFor(spec({ routing: "none" }), "node-a").docker?.routes).toEqual([]);
  });

  it("gives nodes that are not Docker hosts no Docker part", () => {
    expect(intentFor(spec(), "node-c").docker).toBeUndefined();
  });

  it("is refused by the strict schema with a field the agent would not know", () => {
    const intent = intentFor(spec(), "node-a");
    expect(NodeIntent.safeParse({ ...intent, docker: { ...intent.docker, networks: [{ ...intent.docker!.networks[0], name: "x y" }] } }).success).toBe(false);
  });
});

describe("planning Docker networks", () => {
  const input = spec();
  const intent = intentFor(input, "node-a");

  it("creates a missing network, routes to the other host's subnet and masquerades, described as the docker, ip and nft commands", () => {
    const p = plan(dockerHost("node-a", "192.168.50.10"), intent);
    expect(p.conflicts).toEqual([]);
    expect(p.ops.map(describeOp)).toEqual(
      expect.arrayContaining([
        "docker network create --driver bridge --subnet 172.30.0.0/24 --gateway 172.30.0.1 --opt com.docker.network.driver.mtu=1500 --opt com.docker.network.bridge.enable_ip_masquerade=false --opt com.docker.network.bridge.enable_icc=true app",
        "ip route replace 172.30.1.0/24 via 192.168.50.11 dev eth0",
        "nft: masquerade 172.30.0.0/24 -> outside 172.30.0.0/16 (table ip netatlas_docker)",
      ]),
    );
    expect(p.ops.find((op) => op.op === "replace-route" && op.dst === "172.30.1.0/24")?.reason).toMatch(/containers of the Docker host owning 172\.30\.1\.0\/24/);
  });

  it("plans nothing more once the ops are applied (a second plan is empty)", () => {
    const before = dockerHost("node-a", "192.168.50.10");
    const after = simulateOps(before, plan(before, intent).ops);
    expect(plan(after, intent).ops).toEqual([]);
  });

  it("recreates a network that differs while nothing is attached", () => {
    const p = plan(dockerHost("node-a", "192.168.50.10", [dockerNetwork("app", "172.30.0.0/24", { mtu: 1400, masquerade: false })]), intent);
    const docker = p.ops.filter((op) => op.op.startsWith("docker"));
    expect(docker.map((op) => op.op)).toEqual(["docker-network-remove", "docker-network-create"]);
    expect(docker[0]?.reason).toMatch(/MTU 1400 \(should be 1500\); nothing is attached/);
    expect(docker.some(isDisruptive)).toBe(false);
  });

  it("marks a change that would disconnect containers as disruptive and names them", () => {
    const attached = dockerNetwork("app", "172.30.9.0/24", { endpoints: [{ containerId: "c1".padEnd(64, "0"), name: "web", ipv4: "172.30.9.2" }] });
    const snapshot = dockerHost("node-a", "192.168.50.10", [attached]);
    snapshot.containers = [{ id: "c1".padEnd(64, "0"), name: "web", runtime: "docker", state: "running", networkMode: "app", endpoints: [{ network: "app", ipv4: "172.30.9.2" }], ports: [] }];
    const p = plan(snapshot, intent);
    const op = p.ops.find(isDisruptive);
    expect(op).toMatchObject({ op: "docker-network-replace", name: "app", subnet: "172.30.0.0/24", containers: [{ name: "web", state: "running" }] });
    expect(describeOp(op!)).toMatch(/^DISRUPTIVE: docker network disconnect --force app web; docker network rm app; docker network create .*--subnet 172\.30\.0\.0\/24/);
    expect(p.ops.filter((o) => o.op === "docker-network-remove" || o.op === "docker-network-create")).toEqual([]);
  });

  it("removes netatlas's Docker masquerade once no routed network masquerades", () => {
    const before = dockerHost("node-a", "192.168.50.10");
    const applied = simulateOps(before, plan(before, intent).ops);
    const off = intentFor(spec({ networks: [{ name: "app", masquerade: false }] }), "node-a");
    expect(plan(applied, off).ops.map((op) => op.op)).toEqual(["del-docker-masquerade"]);
  });

  it("leaves a network that matches alone", () => {
    const have = dockerNetwork("app", "172.30.0.0/24", { mtu: 1500, masquerade: false, icc: true });
    expect(plan(dockerHost("node-a", "192.168.50.10", [have]), intent).ops.filter((op) => op.op.startsWith("docker"))).toEqual([]);
  });

  it("removes an empty network netatlas made that the spec dropped, and only reports one that is in use or not its own", () => {
    const owned = dockerNetwork("old", "172.30.8.0/24", { labels: { "io.netatlas.owned": "true" } });
    const busy = dockerNetwork("busy", "172.30.7.0/24", { labels: { "io.netatlas.owned": "true" }, endpoints: [{ containerId: "c2", name: "db" }] });
    const foreign = dockerNetwork("theirs", "172.31.0.0/24");
    const p = plan(dockerHost("node-a", "192.168.50.10", [owned, busy, foreign]), intent);
    expect(p.ops.filter((op) => op.op === "docker-network-remove").map((op) => op.op === "docker-network-remove" && op.name)).toEqual(["old"]);
    expect(p.conflicts).toEqual([expect.stringMatching(/busy is netatlas's and no longer in the spec, but db is attached; not removed/)]);
  });

  it("reports a wanted subnet another network already holds, and plans no create for it", () => {
    const p = plan(dockerHost("node-a", "192.168.50.10", [dockerNetwork("labnet", "172.30.0.0/24")]), intent);
    expect(p.conflicts).toEqual([expect.stringMatching(/app should have 172\.30\.0\.0\/24, which overlaps Docker network labnet \(172\.30\.0\.0\/24\)/)]);
    expect(p.ops.some((op) => op.op === "docker-network-create")).toBe(false);
  });

  it("says how to move a clashing docker0 (bip in daemon.json) and never plans a change to it", () => {
    const snapshot = dockerHost("node-a", "192.168.50.10");
    snapshot.dockerNetworks[0] = dockerNetwork("bridge", "10.244.200.0/24", { bridge: "docker0" });
    const p = plan(snapshot, intent);
    expect(p.conflicts.join("\n")).toMatch(/docker0 \(10\.244\.200\.0\/24\) overlaps the pod CIDR 10\.244\.0\.0\/16; move it with "bip" in \/etc\/docker\/daemon\.json/);
    expect(p.ops.some((op) => "name" in op && op.name === "bridge")).toBe(false);
  });

  it("plans no Docker network on a node where no dockerd answered, and says so", () => {
    const snapshot = dockerHost("node-a", "192.168.50.10");
    snapshot.dockerNetworks = [];
    const p = plan(snapshot, intent);
    expect(p.ops.some((op) => op.op.startsWith("docker"))).toBe(false);
    expect(p.conflicts).toEqual([expect.stringMatching(/no Docker daemon answered on node-a/)]);
  });

  it("changes the plan's hash when a container attaches (so a reviewed plan is refused)", () => {
    const a = dockerHost("node-a", "192.168.50.10", [dockerNetwork("app", "172.30.9.0/24")]);
    const b = structuredClone(a);
    b.dockerNetworks[3]!.endpoints.push({ containerId: "c9", name: "late" });
    expect(plan(a, intent).hash).not.toBe(plan(b, intent).hash);
  });
});
