import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocate, cidrsOverlap, nodeIntent, plan, validateFleetSpec, FleetSpec, NodeIntent, Op, type FleetSpecInput, type NodeSnapshot } from "../src/index.js";
import { simulateOps } from "./support/simulate-ops.js";
import { emptySnapshot, HOST_NETNS, nodeLinks } from "./support/snapshot.js";

function spec(over: Partial<FleetSpecInput> = {}): FleetSpecInput {
  return {
    podCidr: "10.244.0.0/16",
    backend: { type: "host-gw" },
    nodes: [
      { name: "node-a", underlayIp: "192.168.50.10" },
      { name: "node-b", underlayIp: "192.168.50.11" },
      { name: "node-c", underlayIp: "192.168.50.12" },
    ],
    ...over,
  };
}

/** A node with eth0 on the underlay and the CNI plugin's cni0, before netatlas did anything. */
function bareNode(name: string, underlayIp: string): NodeSnapshot {
  const host = HOST_NETNS;
  return emptySnapshot(name, {
    links: nodeLinks(),
    addresses: [{ netns: host, ifindex: 2, ifname: "eth0", family: 4, address: underlayIp, prefixLength: 24, scope: "global" }],
    routes: [
      { netns: host, family: 4, table: "main", type: "unicast", dst: "192.168.50.0/24", dev: "eth0", protocol: "kernel", scope: "link", flags: [], prefsrc: underlayIp },
      { netns: host, family: 4, table: "main", type: "unicast", dst: "10.99.0.0/16", via: "192.168.50.1", dev: "eth0", protocol: "static", scope: "global", flags: [] },
    ],
  });
}

const parse = (input: FleetSpecInput) => FleetSpec.parse(input);

describe("fleet spec validation", () => {
  it("accepts a good spec and fills in defaults", () => {
    const result = validateFleetSpec(spec({ backend: { type: "vxlan" } }));
    expect(result.ok && result.spec).toMatchObject({ nodeSubnetPrefix: 24, bridge: "cni0", masquerade: true, backend: { vni: 1, port: 8472, mtu: 1450 } });
  });

  it.each([
    [{ podCidr: "172.16.0.0/12" }, "podCidr", /overlaps 172.17.0.0\/16 \(Docker's default bridge/],
    [{ podCidr: "10.244.0.0/23" }, "podCidr", /room for 2 \/24 node subnets, but there are 3 nodes/],
    [{ podCidr: "10.244.0.0/33" }, "podCidr", /IPv4 CIDR/],
    [{ nodeSubnetPrefix: 12 }, "nodeSubnetPrefix", /at least the pod CIDR's prefix length/],
    [{ nodeSubnetPrefix: 33 }, "nodeSubnetPrefix", /30/],
    [{ nodeSubnetPrefix: 24.5 }, "nodeSubnetPrefix", /whole number/],
    [{ backend: { type: "vxlan", mtu: 1480 } }, "backend.mtu", /exceeds the underlay MTU 1500; use at most 1450/],
    [{ backend: { type: "vxlan", vni: 0 } }, "backend.vni", /1/],
    [{ bridge: "way-too-long-bridge-name" }, "bridge", /at most 15/],
    [{ nodes: [{ name: "a", underlayIp: "10.244.3.1" }] }, "nodes.0.underlayIp", /inside the pod CIDR/],
    [{ nodes: [{ name: "a", underlayIp: "192.168.1.1" }, { name: "a", underlayIp: "192.168.1.1" }] }, "nodes.1.name", /appears twice/],
    [{ nodes: [{ name: "Bad_Name", underlayIp: "192.168.1.1" }] }, "nodes.0.name", /DNS-style/],
    [{ nodes: [] }, "nodes", /at least one node/],
    [{ nodes: [{ name: "a", underlayIp: "192.168.1.300" }] }, "nodes.0.underlayIp", /IPv4 address/],
    [{ bridge: "cni#0" }, "bridge", /may not contain '#'/],
    [{ nodes: [{ name: "a", underlayIp: "192.168.1.1", underlayDev: "eth0\\" }] }, "nodes.0.underlayDev", /may not contain a backslash/],
  ])("rejects %j at %s", (over, path, message) => {
    const result = validateFleetSpec(spec(over as Partial<FleetSpecInput>));
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors.find((e) => e.path === path)?.message).toMatch(message);
  });
});

const nodeNames = fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 12 }).map((ids) => ids.map((i) => ({ name: `n${i}`, underlayIp: `192.168.50.${i + 10}` })));

describe("allocation", () => {
  it("gives every node its own subnet of the pod CIDR", () => {
    fc.assert(
      fc.property(nodeNames, (nodes) => {
        const a = allocate(parse(spec({ nodes })));
        const subnets = Object.values(a);
        expect(subnets).toHaveLength(nodes.length);
        for (let i = 0; i < subnets.length; i++) for (let j = i + 1; j < subnets.length; j++) expect(cidrsOverlap(subnets[i]!, subnets[j]!)).toBe(false);
      }),
    );
  });

  it("keeps existing nodes' subnets when nodes are added or removed", () => {
    fc.assert(
      fc.property(nodeNames, nodeNames, (before, after) => {
        const first = allocate(parse(spec({ nodes: before })));
        const second = allocate(parse(spec({ nodes: after })), first);
        for (const node of after) if (first[node.name]) expect(second[node.name]).toBe(first[node.name]);
      }),
    );
  });
});

describe("node intent and plans", () => {
  it("host-gw: routes to every peer's subnet via its underlay address", () => {
    const s = parse(spec());
    const intent = nodeIntent(s, allocate(s), "node-a");
    expect(intent.routes).toEqual([
      { dst: "10.244.1.0/24", via: "192.168.50.11", dev: "eth0", onlink: false },
      { dst: "10.244.2.0/24", via: "192.168.50.12", dev: "eth0", onlink: false },
    ]);
    expect(intent.vxlan).toBeUndefined();
  });

  it("vxlan: a VTEP per node, with neighbour and FDB entries for each peer", () => {
    const s = parse(spec({ backend: { type: "vxlan" } }));
    const intent = nodeIntent(s, allocate(s), "node-a");
    expect(intent.vxlan).toMatchObject({ vni: 1, port: 8472, local: "192.168.50.10", address: "10.244.0.0/32", mtu: 1450 });
    expect(intent.routes[0]).toEqual({ dst: "10.244.1.0/24", via: "10.244.1.0", dev: "netatlas.1", onlink: true });
    expect(intent.fdb[0]?.dst).toBe("192.168.50.11");
    expect(intent.neighbors[0]?.lladdr).toBe(intent.fdb[0]?.mac);
  });

  it("checks an intent strictly, naming the field, since it arrives over the API and becomes commands", () => {
    const good = nodeIntent(FleetSpec.parse({ ...spec(), backend: { type: "vxlan" } }), allocate(FleetSpec.parse(spec())), "node-a");
    expect(NodeIntent.parse(good)).toEqual(good);
    const cases: Array<[unknown, string]> = [
      [{ ...good, routes: [{ ...good.routes[0], dev: "eth0 up" }] }, "routes.0.dev"],
      [{ ...good, routes: [{ ...good.routes[0], via: "10.0.0.300" }] }, "routes.0.via"],
      [{ ...good, vxlan: { ...good.vxlan, mac: "zz:00:00:00:00:00" } }, "vxlan.mac"],
      [{ ...good, bridge: { ...good.bridge, address: "10.244.0.1" } }, "bridge.address"],
      [{ ...good, extra: true }, ""],
    ];
    for (const [input, path] of cases) {
      const result = NodeIntent.safeParse(input);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path.join(".")).toBe(path);
    }
  });

  it("refuses, naming the field, an intent or op name that iproute2's batch syntax cannot carry, but keeps a kernel name in a removal", () => {
    const good = nodeIntent(FleetSpec.parse({ ...spec(), backend: { type: "vxlan" } }), allocate(FleetSpec.parse(spec())), "node-a");
    const cases: Array<[unknown, string, RegExp]> = [
      [{ ...good, routes: [{ ...good.routes[0], dev: "eth0#x" }] }, "routes.0.dev", /may not contain '#' \(ip -batch reads the rest of its line as a comment/],
      [{ ...good, vxlan: { ...good.vxlan, dev: "'eth0" } }, "vxlan.dev", /may not contain a quote/],
      [{ ...good, bridge: { ...good.bridge, name: "cni\u0001" } }, "bridge.name", /may not contain a control character/],
      [{ ...good, fdb: [{ ...good.fdb[0], dev: 'vx"1' }] }, "fdb.0.dev", /may not contain a quote/],
    ];
    for (const [input, path, message] of cases) {
      const issues = NodeIntent.safeParse(input).error?.issues ?? [];
      expect(issues.map((i) => [i.path.join("."), i.message])).toEqual([[path, expect.stringMatching(message)]]);
    }
    const route = { op: "replace-route", dst: "10.244.1.0/24", via: "10.244.1.0", dev: "eth0#x", onlink: true, reason: "r" };
    expect(Op.safeParse(route).error?.issues.map((i) => i.path.join("."))).toEqual(["dev"]);
    expect(Op.safeParse({ op: "del-link", name: "va#1", reason: "the kernel has it" }).success).toBe(true);
  });

  it("plans each op with a reason, never touching the foreign route", () => {
    const s = parse(spec({ backend: { type: "vxlan" } }));
    const p = plan(bareNode("node-a", "192.168.50.10"), nodeIntent(s, allocate(s), "node-a"));
    expect(p.ops.map((o) => o.op)).toEqual(["add-vxlan", "add-address", "set-up", "replace-neigh", "replace-neigh", "add-fdb", "add-fdb", "replace-route", "replace-route", "set-masquerade"]);
    expect(p.ops.every((o) => o.reason.length > 10)).toBe(true);
    expect(p.ops.some((o) => "dst" in o && o.dst === "10.99.0.0/16")).toBe(false);
  });

  it("reports a foreign route to a peer subnet as a conflict instead of replacing it", () => {
    const s = parse(spec());
    const node = bareNode("node-a", "192.168.50.10");
    node.routes.push({ netns: 7, family: 4, table: "main", type: "unicast", dst: "10.244.1.0/24", via: "192.168.50.99", dev: "eth0", protocol: "static", scope: "global", flags: [] });
    const p = plan(node, nodeIntent(s, allocate(s), "node-a"));
    expect(p.conflicts).toEqual([expect.stringContaining("a route to 10.244.1.0/24 exists (proto static via 192.168.50.99)")]);
    expect(p.ops.filter((o) => o.op === "replace-route").map((o) => "dst" in o && o.dst)).toEqual(["10.244.2.0/24"]);
  });

  const fleets = fc.record({
    nodes: nodeNames,
    backend: fc.oneof(fc.constant({ type: "host-gw" as const }), fc.record({ type: fc.constant("vxlan" as const), vni: fc.integer({ min: 1, max: 100 }), mtu: fc.integer({ min: 1200, max: 1450 }) })),
    masquerade: fc.boolean(),
  });

  it("is deterministic, and empty after its own ops are applied (also when switching specs)", () => {
    fc.assert(
      fc.property(fleets, fleets, ({ nodes, backend, masquerade }, second) => {
        const first = parse(spec({ nodes, backend, masquerade }));
        const node = nodes[0]!;
        const alloc = allocate(first);
        const intent = nodeIntent(first, alloc, node.name);
        const start = bareNode(node.name, node.underlayIp);
        const p1 = plan(start, intent);
        expect(plan(start, intent)).toEqual(p1);
        const applied = simulateOps(start, p1.ops);
        expect(plan(applied, intent).ops).toEqual([]);
        // Then move to another spec for the same node: still converges, foreign route kept.
        const next = parse(spec({ ...second, nodes: [node, ...second.nodes.filter((n) => n.name !== node.name && n.underlayIp !== node.underlayIp)] }));
        const nextIntent = nodeIntent(next, allocate(next, alloc), node.name);
        const moved = simulateOps(applied, plan(applied, nextIntent).ops);
        expect(plan(moved, nextIntent).ops).toEqual([]);
        expect(moved.routes.some((r) => r.dst === "10.99.0.0/16")).toBe(true);
      }),
    );
  });

  it("changes its hash when the node's state changes", () => {
    const s = parse(spec());
    const intent = nodeIntent(s, allocate(s), "node-a");
    const node = bareNode("node-a", "192.168.50.10");
    const before = plan(node, intent);
    node.links[1]!.mtu = 1400;
    expect(plan(node, intent).hash).not.toBe(before.hash);
  });

  it("keeps its hash when pod traffic only fills the neighbour cache or a learned FDB, and changes it when an entry netatlas keeps does", () => {
    const s = parse(spec({ backend: { type: "vxlan" } }));
    const intent = nodeIntent(s, allocate(s), "node-a");
    const node = simulateOps(bareNode("node-a", "192.168.50.10"), plan(bareNode("node-a", "192.168.50.10"), intent).ops);
    const before = plan(node, intent);
    const host = HOST_NETNS;
    // A probe between pods: the kernel resolves the pod's address on cni0 (an entry that ages on its own); a learning VXLAN device learns a remote MAC.
    node.neighbors.push({ netns: host, family: 4, dev: "cni0", address: "10.244.0.2", lladdr: "f6:0b:25:e8:99:23", state: ["REACHABLE"], router: false });
    node.fdb.push({ netns: host, dev: intent.vxlan!.name, mac: "f6:0b:25:e8:99:24", dst: "192.168.50.11", state: "dynamic", flags: [] });
    expect(plan(node, intent).hash).toBe(before.hash);
    node.neighbors[node.neighbors.length - 1]!.state = ["STALE"];
    expect(plan(node, intent).hash).toBe(before.hash);
    const vtep = node.neighbors.find((n) => n.dev === intent.vxlan?.name && n.state.includes("PERMANENT"));
    expect(vtep).toBeDefined();
    vtep!.lladdr = "02:00:00:00:00:99";
    expect(plan(node, intent).hash).not.toBe(before.hash);
  });
});
