import { describe, expect, it } from "vitest";
import labRecorded from "../../test/fixtures/lab-fleet.json" with { type: "json" };
import { flannelFleet, handMadeHostGwFleet, hostOf, nodeAt } from "../../test/support/brownfield.js";
import type { FilterRuleset } from "../model/filter.js";
import { NodeSnapshot } from "../model/snapshot.js";
import type { TraceResult } from "../model/trace.js";
import { FleetIndex } from "../trace/fleet-index.js";
import { trace } from "../trace/trace.js";
import { cellFromTrace } from "./cell.js";
import { endpointOf } from "./endpoints.js";
import { reachability } from "./reachability.js";

type Fault = (fleet: NodeSnapshot[]) => void;
const link = (s: NodeSnapshot, name: string) => s.links.find((l) => l.netns === hostOf(s) && l.name === name)!;
const routeTo = (s: NodeSnapshot, dst: string) => s.routes.find((r) => r.netns === hostOf(s) && r.table === "main" && r.dst === dst)!;
const dropRoute = (s: NodeSnapshot, dst: string) => (s.routes = s.routes.filter((r) => r !== routeTo(s, dst)));

/** Every pair traced on its own, as the matrix's cells must read. */
function tracedCells(fleet: NodeSnapshot[]) {
  const index = new FleetIndex(fleet);
  return fleet.flatMap((a) =>
    fleet.filter((b) => b !== a).map((b) => {
      const [ea, eb] = [endpointOf(a)!, endpointOf(b)!];
      const cell = cellFromTrace(ea, eb, trace(index, { netns: { node: a.node, id: ea.netns } }, { ip: eb.ip, protocol: "tcp" }));
      return `${cell.from}->${cell.to} ${cell.state} ${cell.verdict} ${cell.leg ?? ""}`;
    }),
  );
}
const matrixCells = (fleet: NodeSnapshot[]) => reachability(fleet).cells.map((c) => `${c.from}->${c.to} ${c.state} ${c.verdict} ${c.leg ?? ""}`);

/** A filter rule on node3 that drops what comes from node2's pods: it tells the fleet's addresses apart (node2's row comes after node3 was shown to receive). */
const dropFromNode2: Fault = (fleet) => {
  const node3 = nodeAt(fleet, 2);
  const host = hostOf(node3);
  const filter: FilterRuleset = {
    chains: [{ netns: host, family: "ip", table: "filter", name: "FORWARD", hook: "forward", priority: 0, policy: "accept", type: "filter" }],
    rules: [{ netns: host, family: "ip", table: "filter", chain: "FORWARD", matches: [{ field: "ip saddr", op: "==", values: ["10.244.1.0/24"] }], verdict: "drop", text: "ip saddr 10.244.1.0/24 drop", opaque: false }],
  };
  node3.filter = filter;
};

const FAULTS: Record<string, Fault> = {
  healthy: () => {},
  "a deleted route": (f) => dropRoute(nodeAt(f, 0), "10.244.1.0/24"),
  "a stale route to a subnet nobody owns": (f) => nodeAt(f, 0).routes.push({ ...routeTo(nodeAt(f, 0), "10.244.1.0/24"), dst: "10.244.9.0/24" }),
  "a moved subnet (a route via the wrong node)": (f) => Object.assign(routeTo(nodeAt(f, 0), "10.244.1.0/24"), f[0]!.links.some((l) => l.name === "flannel.1") ? { via: "10.244.2.0" } : { via: "192.168.50.13" }),
  "an underlay MTU too small at one end": (f) => (link(nodeAt(f, 2), "eth0").mtu = 1400),
  "a filter that drops one node's pods": dropFromNode2,
};
const VXLAN_FAULTS: Record<string, Fault> = {
  "a stale FDB MAC (the VTEP re-created)": (f) => (link(nodeAt(f, 1), "flannel.1").mac = "0a:58:0a:f4:01:99"),
  "a wrong VNI": (f) => (link(nodeAt(f, 2), "flannel.1").vxlan!.vni = 2),
  "a VXLAN device down": (f) => (link(nodeAt(f, 1), "flannel.1").flags = ["BROADCAST", "MULTICAST"]),
  // node1 and node3 on VNI 2, node2 and node4 on VNI 1: each end has pairs that work, so only the two ends together tell.
  "two halves on different VNIs": (f) => [0, 2].forEach((k) => (link(nodeAt(f, k), "flannel.1").vxlan!.vni = 2)),
};

describe("the reachability matrix", () => {
  it("delivers every pair of a healthy flannel-like and hand-made host-gw fleet, most of them composed from a few traces", () => {
    for (const fleet of [flannelFleet(5), handMadeHostGwFleet(5)]) {
      const m = reachability(fleet);
      expect(m.nodes).toEqual(["node1", "node2", "node3", "node4", "node5"]);
      expect(m.summary).toMatchObject({ pairs: 20, delivered: 20, failed: 0, uncertain: 0, noEndpoint: 0 });
      expect(m.summary.traced).toBeLessThan(12);
      expect(m.cells[0]).toMatchObject({ from: "node1", to: "node2", state: "delivered", verdict: "delivered", source: { kind: "pod", name: "default/node1-pod1", ip: "10.244.0.2" }, destination: { node: "node2", ip: "10.244.1.2" } });
    }
  });

  for (const [backend, make, faults] of [["flannel-like", flannelFleet, { ...FAULTS, ...VXLAN_FAULTS }], ["hand-made host-gw", handMadeHostGwFleet, FAULTS]] as const) {
    it.each(Object.keys(faults))(`reads on a ${backend} fleet with %s exactly what a trace of each pair reads`, (name) => {
      const fleet = make(4);
      (faults as Record<string, Fault>)[name]!(fleet);
      expect(matrixCells(fleet)).toEqual(tracedCells(fleet));
    });
  }

  it("still composes pairs through filter rules that treat every node alike (flannel's cluster-wide accept, kube-proxy's service addresses)", () => {
    const fleet = flannelFleet(4);
    for (const node of fleet) {
      const host = hostOf(node);
      const rule = (values: string[], field: string, text: string) => ({ netns: host, family: "ip", table: "filter", chain: "FORWARD", matches: [{ field, op: "==" as const, values }], verdict: "accept" as const, text, opaque: false });
      node.filter = {
        chains: [{ netns: host, family: "ip", table: "filter", name: "FORWARD", hook: "forward", priority: 0, policy: "drop", type: "filter" }],
        rules: [rule(["10.96.0.10 . udp . 53"], "ip daddr . l4proto . th dport", "ip daddr . meta l4proto . th dport { 10.96.0.10 . udp . 53 } accept"), rule(["10.244.0.0/16"], "ip saddr", "ip saddr 10.244.0.0/16 accept"), rule(["10.244.0.0/16"], "ip daddr", "ip daddr 10.244.0.0/16 accept")],
      };
    }
    const m = reachability(fleet);
    expect(m.summary).toMatchObject({ delivered: 12, failed: 0 });
    expect(m.summary.composed).toBeGreaterThan(0);
    expect(matrixCells(fleet)).toEqual(tracedCells(fleet));
  });

  it("names the failing verdict and its deciding hop, forward or on the reply", () => {
    const fleet = flannelFleet();
    dropRoute(nodeAt(fleet, 0), "10.244.1.0/24");
    const m = reachability(fleet);
    const there = m.cells.find((c) => c.from === "node1" && c.to === "node2")!;
    expect(there).toMatchObject({ state: "failed", verdict: "no-route", leg: "forward", by: "trace", hop: { node: "node1", action: "underlay" } });
    const back = m.cells.find((c) => c.from === "node2" && c.to === "node1")!;
    expect(back).toMatchObject({ state: "failed", verdict: "no-route", leg: "reply", hop: { node: "node1" }, message: expect.stringMatching(/^the reply is lost: /) });
    expect(m.summary).toMatchObject({ pairs: 6, failed: 2, delivered: 4 });
  });

  it("cuts off every pair through a VXLAN device that is down, both ways", () => {
    const fleet = flannelFleet();
    link(nodeAt(fleet, 1), "flannel.1").flags = ["BROADCAST", "MULTICAST"];
    const failing = reachability(fleet).cells.filter((c) => c.state === "failed").map((c) => `${c.from}->${c.to} ${c.verdict}`);
    expect(failing.sort()).toEqual(["node1->node2 interface-down", "node2->node1 interface-down", "node2->node3 interface-down", "node3->node2 interface-down"]);
  });

  it("says no-endpoint for a node with no running pod or container, and stands a Docker host's container in for it", () => {
    const fleet = flannelFleet();
    nodeAt(fleet, 2).pods = [];
    const m = reachability(fleet);
    expect(m.cells.filter((c) => c.state === "no-endpoint").map((c) => `${c.from}->${c.to} ${c.verdict}`)).toEqual(["node1->node3 unknown-destination", "node2->node3 unknown-destination", "node3->node1 unknown-source", "node3->node2 unknown-source"]);
    expect(m.summary.noEndpoint).toBe(4);
    const [, node2] = NodeSnapshot.array().parse(labRecorded);
    node2!.pods = [];
    expect(endpointOf(node2!)).toMatchObject({ node: "node2", kind: "container", name: expect.any(String), ip: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/) });
  });

  it("keeps a verdict the trace cannot decide as its own state", () => {
    const [a, b] = flannelFleet(2).map((s) => endpointOf(s)!) as [ReturnType<typeof endpointOf> & object, ReturnType<typeof endpointOf> & object];
    const hop = { node: "node2", netns: { id: 1, label: "host" }, interfaces: [], action: "filter" as const, rule: "limit rate 5/second", detail: "", packet: { src: a.ip, dst: b.ip } };
    const result: TraceResult = { destination: { ip: b.ip, protocol: "tcp" }, packetSize: 1400, forward: { hops: [hop], verdict: { kind: "uncertain", hop: 0, message: "a rate limit decides" } }, asymmetric: false };
    expect(cellFromTrace(a, b, result)).toMatchObject({ state: "uncertain", verdict: "uncertain", leg: "forward", hop });
  });
});
