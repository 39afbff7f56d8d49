import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cidrContainsIp, NodeSnapshot, prepareFleet, RouteTable, trace, type Route, type TraceResult } from "../src/index.js";

// Fleets recorded from a real 2-node lab with 2 pods per node (record-fleet.ts):
// node1 has pods 10.244.0.2-3 on cni0, node2 has 10.244.1.2-3; underlay 192.168.50.11-12.
const load = (backend: "vxlan" | "host-gw"): NodeSnapshot[] => NodeSnapshot.array().parse(JSON.parse(readFileSync(new URL(`./fixtures/fleet-${backend}.json`, import.meta.url), "utf8")));

const node = (fleet: NodeSnapshot[], name: string) => fleet.find((n) => n.node === name)!;
const hostOf = (s: NodeSnapshot) => s.namespaces.find((n) => n.kind === "host")!.id;
const actions = (r: TraceResult) => r.forward.hops.map((h) => `${h.node}:${h.action}`);

function hostRoute(s: NodeSnapshot, dst: string, fields: Partial<Route>): Route {
  return { netns: hostOf(s), family: 4, table: "main", type: "unicast", dst, protocol: "static", scope: "global", flags: [], ...fields };
}

describe("trace across a recorded VXLAN fleet", () => {
  it("delivers pod-to-pod across nodes through veth, bridge, VXLAN and the underlay, masqueraded by the CNI rule", () => {
    const r = trace(load("vxlan"), { pod: "node1-pod1" }, { ip: "10.244.1.3", port: 8080 });
    expect(r.forward.verdict).toMatchObject({ kind: "delivered", hop: r.forward.hops.length - 1 });
    expect(actions(r)).toEqual([
      "node1:route", "node1:veth", "node1:bridge", "node1:route", "node1:masquerade", "node1:vxlan-encap", "node1:route", "node1:underlay",
      "node2:vxlan-decap", "node2:route", "node2:bridge", "node2:veth", "node2:deliver",
    ]);
    const [, , , fabric, masq, encap] = r.forward.hops;
    expect(fabric?.rule).toBe("10.244.1.0/24 via 10.244.1.0 dev netatlas.1 onlink");
    expect(masq?.packet.src).toBe("10.244.0.0");
    expect(encap?.rule).toMatch(/^10\.244\.1\.0 dev netatlas\.1 lladdr (\S+) PERMANENT; \1 dev netatlas\.1 dst 192\.168\.50\.12 self permanent$/);
    expect(r.forward.hops.at(-1)).toMatchObject({ node: "node2", netns: { label: "pod default/node2-pod2" }, packet: { dst: "10.244.1.3" } });
  });

  it("brings the reply back to the translated source and undoes the masquerade on the way, symmetric", () => {
    const r = trace(load("vxlan"), { pod: "default/node1-pod1" }, { ip: "10.244.1.2" });
    expect(r.reverse?.verdict.kind).toBe("delivered");
    expect(r.reverse?.hops[0]?.packet).toEqual({ src: "10.244.1.2", dst: "10.244.0.0" });
    expect(r.reverse?.hops.find((h) => h.action === "unmasquerade")).toMatchObject({ node: "node1", packet: { dst: "10.244.0.2" } });
    expect(r.reverse?.hops.at(-1)?.netns.label).toBe("pod default/node1-pod1");
    expect(r.asymmetric).toBe(false);
  });

  it("delivers between pods of one node over the bridge without leaving the node or translating", () => {
    const r = trace(load("vxlan"), { pod: "node1-pod1" }, { ip: "10.244.0.3" });
    expect(actions(r)).toEqual(["node1:route", "node1:veth", "node1:bridge", "node1:veth", "node1:deliver"]);
    expect(r.forward.hops[0]?.rule).toBe("10.244.0.0/24 dev eth0 src 10.244.0.2");
    expect(r.forward.hops[2]?.rule).toMatch(/dev veth\S+ master cni0$/);
    expect(r.reverse?.verdict.kind).toBe("delivered");
  });

  it("delivers 127.0.0.1 and the pod's own IP inside the pod: its containers share one namespace", () => {
    const fleet = prepareFleet(load("vxlan"));
    for (const ip of ["127.0.0.1", "10.244.0.2"]) {
      const r = trace(fleet, { pod: "node1-pod1" }, { ip });
      expect(actions(r)).toEqual(["node1:deliver"]);
      expect(r.forward.verdict.message).toContain("same namespace");
    }
  });

  it("starts from a namespace, an IP or a pod alike", () => {
    const fleet = load("vxlan");
    const podNs = node(fleet, "node1").pods[0]!.netns!;
    for (const source of [{ ip: "10.244.0.2" }, { netns: { node: "node1", id: podNs } }, { pod: "node1-pod1" }]) {
      expect(trace(fleet, source, { ip: "10.244.1.2" }).forward.verdict.kind).toBe("delivered");
    }
  });

  it("says which source it does not know", () => {
    expect(trace(load("vxlan"), { pod: "ghost" }, { ip: "10.244.1.2" }).forward.verdict).toEqual({ kind: "unknown-source", hop: null, message: 'no pod "ghost" in any node\'s snapshot' });
  });
});

describe("trace across a recorded host-gw fleet", () => {
  it("delivers pod-to-pod across nodes by the route to the peer's underlay address", () => {
    const r = trace(load("host-gw"), { pod: "node1-pod2" }, { ip: "10.244.1.2" });
    expect(r.forward.verdict.kind).toBe("delivered");
    expect(actions(r)).toEqual(["node1:route", "node1:veth", "node1:bridge", "node1:route", "node1:masquerade", "node1:underlay", "node2:route", "node2:bridge", "node2:veth", "node2:deliver"]);
    expect(r.forward.hops[3]?.rule).toBe("10.244.1.0/24 via 192.168.50.12 dev eth0");
    expect(r.reverse?.verdict.kind).toBe("delivered");
    expect(r.asymmetric).toBe(false);
  });

  it("stops where the packet leaves the fleet for an outside address", () => {
    const r = trace(load("host-gw"), { pod: "node1-pod1" }, { ip: "1.1.1.1" });
    expect(r.forward.verdict.kind).toBe("left-fleet");
    expect(r.forward.verdict.message).toContain("towards 192.168.50.1");
  });
});

describe("trace names each fault", () => {
  it("names the missing route to the peer's pods when only the default route to an outside gateway is left", () => {
    const fleet = load("vxlan");
    const n1 = node(fleet, "node1");
    n1.routes = n1.routes.filter((r) => r.dst !== "10.244.1.0/24");
    const r = trace(fleet, { pod: "node1-pod1" }, { ip: "10.244.1.2" });
    expect(r.forward.verdict.kind).toBe("no-route");
    expect(r.forward.verdict.message).toBe(
      "node1 has no route to 10.244.1.0/24 (node2's pods): the main table's default route (default via 192.168.50.1 dev eth0) sends it to 192.168.50.1, which is outside the fleet",
    );
  });

  it("warns of a dead pause holder while the pod's containers still hold its pinned namespace, and calls it a dead source once none do", () => {
    const fleet = load("vxlan");
    const pod = node(fleet, "node1").pods[0]!;
    pod.sandbox.alive = false;
    const alive = trace(fleet, { pod: "node1-pod1" }, { ip: "10.244.1.2" });
    expect(alive.forward.verdict.kind).toBe("delivered");
    expect(alive.forward.verdict.message).toMatch(/warning: pod default\/node1-pod1 on node1: its sandbox holder \(pid 7\) is dead; its containers still share the pinned namespace/);
    pod.containers = [];
    const dead = trace(fleet, { pod: "node1-pod1" }, { ip: "10.244.1.2" });
    expect(dead.forward.verdict).toMatchObject({ kind: "source-dead", hop: null });
    expect(dead.forward.verdict.message).toContain("sandbox holder (pid 7) is dead and no container lives in its namespace");
  });

  it("under a shrunken underlay MTU, fragments the outer packet on the way out and drops the reply where it arrives, 4 bytes above the MTU", () => {
    const fleet = load("vxlan");
    node(fleet, "node1").links.find((l) => l.name === "eth0" && l.kind === "veth" && !l.peer)!.mtu = 1400;
    const icmp = { ip: "10.244.1.2", protocol: "icmp" } as const;
    // The VXLAN device sends its outer packet without DF (df unset): node1's eth0 fragments it.
    const edge = trace(fleet, { pod: "node1-pod1" }, icmp, { packetSize: 1354 });
    expect(edge.forward.verdict.kind).toBe("delivered");
    expect(edge.reverse?.verdict.kind).toBe("delivered");
    const over = trace(fleet, { pod: "node1-pod1" }, icmp, { packetSize: 1355 });
    expect(over.forward.verdict.kind).toBe("delivered");
    expect(over.reverse?.verdict.kind).toBe("mtu-too-small");
    expect(over.reverse?.hops[over.reverse.verdict.hop!]).toMatchObject({ node: "node2", action: "underlay" });
    expect(over.reverse?.verdict.message).toContain("node1: from node2 over the underlay, a 1405-byte packet arrives at eth0, whose MTU 1400 admits frames of IP packets up to 1404 bytes");
  });

  it("drops the encapsulated packet at the VXLAN hop when the device sets DF on it", () => {
    const fleet = load("vxlan");
    const n1 = node(fleet, "node1");
    n1.links.find((l) => l.name === "eth0" && l.kind === "veth" && !l.peer)!.mtu = 1400;
    n1.links.find((l) => l.kind === "vxlan")!.vxlan!.df = "set";
    const r = trace(fleet, { pod: "node1-pod1" }, { ip: "10.244.1.2" }, { packetSize: 1351 });
    expect(r.forward.verdict.kind).toBe("mtu-too-small");
    expect(r.forward.hops[r.forward.verdict.hop!]?.action).toBe("vxlan-encap");
    expect(r.forward.verdict.message).toContain("1401-byte encapsulated packet does not fit eth0's MTU 1400");
    expect(trace(fleet, { pod: "node1-pod1" }, { ip: "10.244.1.2" }, { packetSize: 1350 }).forward.verdict.kind).toBe("delivered");
  });

  it("lets a veth take a frame up to its MTU plus 4 bytes, as the kernel's is_skb_forwardable does", () => {
    const fleet = load("vxlan");
    const n1 = node(fleet, "node1");
    const podEth0 = n1.links.find((l) => l.name === "eth0" && l.peer && n1.pods.some((p) => p.name === "node1-pod1" && p.netns === l.netns))!;
    // The sender's eth0 is larger than the bridge port behind it (the host-gw wrong-mtu fault).
    podEth0.mtu = 9000;
    const at = (size: number) => trace(fleet, { pod: "node1-pod1" }, { ip: "10.244.0.3", protocol: "icmp" }, { packetSize: size });
    expect(at(1454).forward.verdict.kind).toBe("delivered");
    const over = at(1455);
    expect(over.forward.verdict.kind).toBe("mtu-too-small");
    expect(over.forward.verdict.message).toContain("a 1455-byte packet arrives at veth");
  });

  it("finds a packet larger than the pod's MTU at the first hop", () => {
    const r = trace(load("vxlan"), { pod: "node1-pod1" }, { ip: "10.244.1.2" }, { packetSize: 1500 });
    expect(r.forward.verdict).toMatchObject({ kind: "mtu-too-small", hop: 0 });
  });

  it("still picks cni0's more specific route over an overlapping docker0, and says so when a destination falls into docker0's range", () => {
    const fleet = load("vxlan");
    const n1 = node(fleet, "node1");
    const host = hostOf(n1);
    n1.links.push({ netns: host, ifindex: 99, name: "docker0", kind: "bridge", mtu: 1500, state: "UP", flags: ["BROADCAST", "MULTICAST", "UP", "LOWER_UP"], mac: "02:42:00:00:00:01" });
    n1.addresses.push({ netns: host, ifindex: 99, ifname: "docker0", family: 4, address: "10.244.0.1", prefixLength: 16, scope: "global" });
    n1.routes.push(hostRoute(n1, "10.244.0.0/16", { dev: "docker0", protocol: "kernel", scope: "link", prefsrc: "10.244.0.1" }));
    const healthy = trace(fleet, { pod: "node1-pod1" }, { ip: "10.244.1.2" });
    expect(healthy.forward.verdict.kind).toBe("delivered");
    expect(healthy.forward.hops[3]?.detail).toContain("also matched, less specific: 10.244.0.0/16 dev docker0");
    expect(healthy.forward.verdict.message).toContain("note: 10.244.1.2 also falls into docker0's 10.244.0.0/16 in node1 (host), shadowed there by the more specific 10.244.1.0/24 via 10.244.1.0 dev netatlas.1");
    const stray = trace(fleet, { pod: "node1-pod1" }, { ip: "10.244.7.9" });
    expect(stray.forward.verdict.kind).toBe("unknown-destination");
    expect(stray.forward.verdict.message).toContain("docker0's 10.244.0.0/16 overlaps 10.244.0.0/24 dev cni0");
  });

  it("finds a VXLAN device that is down", () => {
    const fleet = load("vxlan");
    const vx = node(fleet, "node1").links.find((l) => l.kind === "vxlan")!;
    vx.flags = vx.flags.filter((f) => f !== "UP");
    const r = trace(fleet, { pod: "node1-pod1" }, { ip: "10.244.1.2" });
    expect(r.forward.verdict.kind).toBe("interface-down");
    expect(r.forward.verdict.message).toContain("out of netatlas.1, which is down");
  });

  it("finds a destination pod whose veth has lost its carrier", () => {
    const fleet = load("vxlan");
    const eth0 = node(fleet, "node2").links.find((l) => l.netns === node(fleet, "node2").pods[0]!.netns && l.name === "eth0")!;
    eth0.flags = eth0.flags.filter((f) => f !== "LOWER_UP");
    const r = trace(fleet, { pod: "node1-pod1" }, { ip: "10.244.1.2" });
    expect(r.forward.verdict.kind).toBe("interface-down");
    expect(r.forward.hops[r.forward.verdict.hop!]).toMatchObject({ node: "node2", action: "veth" });
  });

  it("names the pod's eth0 set down behind a bridge port that has lost its carrier", () => {
    const fleet = load("vxlan");
    const n2 = node(fleet, "node2");
    const eth0 = n2.links.find((l) => l.netns === n2.pods[0]!.netns && l.name === "eth0")!;
    eth0.flags = eth0.flags.filter((f) => f !== "UP" && f !== "LOWER_UP");
    const port = n2.links.find((l) => l.netns === hostOf(n2) && l.ifindex === eth0.linkIndex)!;
    port.flags = [...port.flags.filter((f) => f !== "LOWER_UP"), "NO-CARRIER"];
    const r = trace(fleet, { pod: "node1-pod1" }, { ip: "10.244.1.2" });
    expect(r.forward.verdict.kind).toBe("interface-down");
    expect(r.forward.verdict.message).toContain(`bridge port ${port.name} has no carrier`);
    expect(r.forward.verdict.message).toContain(`its peer eth0 in pod default/${n2.pods[0]!.name} is down`);
    expect(r.forward.hops[r.forward.verdict.hop!]).toMatchObject({ node: "node2", action: "bridge", interfaces: expect.arrayContaining(["cni0", port.name]) });
  });

  it("finds a missing FDB entry for the peer VTEP's MAC", () => {
    const fleet = load("vxlan");
    const n1 = node(fleet, "node1");
    n1.fdb = n1.fdb.filter((e) => e.dev !== "netatlas.1");
    const r = trace(fleet, { pod: "node1-pod1" }, { ip: "10.244.1.2" });
    expect(r.forward.verdict.kind).toBe("fdb-missing");
    expect(r.forward.verdict.message).toMatch(/node1 \(host\) has no FDB entry for \S+ \(10\.244\.1\.0\) on netatlas\.1/);
  });

  it("finds a missing neighbour entry for the peer VTEP", () => {
    const fleet = load("vxlan");
    node(fleet, "node1").neighbors = [];
    expect(trace(fleet, { pod: "node1-pod1" }, { ip: "10.244.1.2" }).forward.verdict.kind).toBe("neighbor-missing");
  });

  it("finds a loop when two nodes route a prefix to each other", () => {
    const fleet = load("host-gw");
    node(fleet, "node1").routes.push(hostRoute(node(fleet, "node1"), "10.244.9.0/24", { via: "192.168.50.12", dev: "eth0" }));
    node(fleet, "node2").routes.push(hostRoute(node(fleet, "node2"), "10.244.9.0/24", { via: "192.168.50.11", dev: "eth0" }));
    const r = trace(fleet, { pod: "node1-pod1" }, { ip: "10.244.9.9" });
    expect(r.forward.verdict.kind).toBe("loop");
    expect(r.forward.verdict.message).toContain("came back to node1 (host)");
  });

  it("stops at a blackhole route", () => {
    const fleet = load("vxlan");
    node(fleet, "node1").routes.push(hostRoute(node(fleet, "node1"), "10.244.1.2/32", { type: "blackhole" }));
    const r = trace(fleet, { pod: "node1-pod1" }, { ip: "10.244.1.2" });
    expect(r.forward.verdict).toMatchObject({ kind: "blackhole", hop: 3 });
    expect(r.forward.hops[3]?.rule).toBe("blackhole 10.244.1.2/32");
  });
});

describe("route lookup", () => {
  const arbRoute = fc.record({
    network: fc.integer({ min: 0, max: 0xffffffff }),
    len: fc.integer({ min: 0, max: 32 }),
    metric: fc.integer({ min: 0, max: 3 }),
  });
  const toIp = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");
  const toRoute = (r: { network: number; len: number; metric: number }, i: number): Route => {
    const masked = r.len === 0 ? 0 : (r.network >>> (32 - r.len)) << (32 - r.len);
    return { netns: 1, family: 4, table: "main", type: "unicast", dst: `${toIp(masked >>> 0)}/${r.len}`, dev: `d${i}`, protocol: "static", scope: "global", metric: r.metric, flags: [] };
  };

  it("is the longest prefix match, lowest metric first, as a brute-force scan finds it", () => {
    fc.assert(
      fc.property(fc.array(arbRoute, { maxLength: 40 }), fc.integer({ min: 0, max: 0xffffffff }), (raw, probe) => {
        const routes = raw.map(toRoute);
        const ip = toIp(probe);
        const candidates = routes.filter((r) => cidrContainsIp(r.dst, ip));
        const best = candidates.reduce<Route | undefined>((b, r) => {
          if (!b) return r;
          const [bl, rl] = [Number(b.dst.split("/")[1]), Number(r.dst.split("/")[1])];
          return rl > bl || (rl === bl && (r.metric ?? 0) < (b.metric ?? 0)) ? r : b;
        }, undefined);
        expect(new RouteTable(4, routes).lookup(ip)).toBe(best);
      }),
      { numRuns: 500 },
    );
  });
});
