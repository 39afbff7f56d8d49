import { describe, expect, it } from "vitest";
import hostGwRecorded from "../../../../test/fixtures/fleet-host-gw.json" with { type: "json" };
import vxlanRecorded from "../../../../test/fixtures/fleet-vxlan.json" with { type: "json" };
import { flannelFleet, handMadeHostGwFleet, hostOf, nodeAt } from "../../../../test/support/brownfield.js";
import type { Finding } from "../../../model/finding.js";
import { FleetSpec } from "../../../fabric/fleet-spec.js";
import { NodeSnapshot } from "../../../model/snapshot.js";
import { nodeFindings } from "../../index.js";
import { fleetFindings } from "../index.js";

const FABRIC_CODES = /^(fabric-|vxlan-|subnet-owned-twice|pod-ip-duplicate)/;
const fabric = (fleet: NodeSnapshot[]): Finding[] => fleetFindings(fleet).filter((f) => FABRIC_CODES.test(f.code));
const brief = (fleet: NodeSnapshot[]) => fabric(fleet).map((f) => `${f.code} ${f.subjects.join(" ")}`).sort();

function dropRoute(s: NodeSnapshot, dst: string): void {
  const before = s.routes.length;
  s.routes = s.routes.filter((r) => !(r.netns === hostOf(s) && r.table === "main" && r.dst === dst));
  expect(s.routes.length).toBe(before - 1);
}
const link = (s: NodeSnapshot, name: string) => s.links.find((l) => l.netns === hostOf(s) && l.name === name)!;
const routeTo = (s: NodeSnapshot, dst: string) => s.routes.find((r) => r.netns === hostOf(s) && r.table === "main" && r.dst === dst)!;

describe("fabric findings: healthy fleets", () => {
  it("finds nothing on a flannel-like fleet, a hand-made host-gw one, or netatlas's own recorded fleets", () => {
    for (const fleet of [flannelFleet(), handMadeHostGwFleet(), NodeSnapshot.array().parse(vxlanRecorded), NodeSnapshot.array().parse(hostGwRecorded)]) expect(fabric(fleet)).toEqual([]);
  });

  it("never takes a node's uplink for a leak, default route or not", () => {
    const fleet = flannelFleet();
    const node2 = nodeAt(fleet, 1);
    node2.routes = node2.routes.filter((r) => r.dst !== "0.0.0.0/0");
    expect(nodeFindings(node2).filter((f) => f.code === "veth-peer-missing")).toEqual([]);
    expect(fabric(fleet)).toEqual([]);
  });
});

describe("fabric findings on a flannel-like VXLAN fleet", () => {
  it("names a deleted route: both nodes, the subnet, and the route that mends it", () => {
    const fleet = flannelFleet();
    dropRoute(nodeAt(fleet, 0), "10.244.1.0/24");
    expect(fabric(fleet)).toEqual([
      {
        code: "fabric-route-missing",
        severity: "error",
        message: expect.stringMatching(/^node1 has no route to node2's pods \(10\.244\.1\.0\/24, inferred from .*\): only its default route \(default via 192\.168\.50\.1 dev eth0\) covers it, which sends it to 192\.168\.50\.1, outside the fleet$/),
        fix: "node1: ip route replace 10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink",
        subjects: ["node1/host/eth0", "node2/host", "10.244.1.0/24"],
      },
    ]);
  });

  it("names neighbour entries that still give a re-created VTEP's old MAC, and the FDB entry its new MAC lacks", () => {
    const fleet = flannelFleet();
    link(nodeAt(fleet, 1), "flannel.1").mac = "0a:58:0a:f4:01:99";
    const found = fabric(fleet);
    expect(found.map((f) => `${f.code} ${f.subjects[0]}`).sort()).toEqual([
      "vxlan-fdb-missing node1/host/flannel.1/fdb/0a:58:0a:f4:01:99",
      "vxlan-fdb-missing node3/host/flannel.1/fdb/0a:58:0a:f4:01:99",
      "vxlan-neighbor-stale node1/host/flannel.1/neigh/10.244.1.0",
      "vxlan-neighbor-stale node3/host/flannel.1/neigh/10.244.1.0",
    ]);
    const stale = found.find((f) => f.code === "vxlan-neighbor-stale" && f.subjects[0]?.startsWith("node1"))!;
    expect(stale.message).toBe("node1's neighbour entry for node2's VTEP 10.244.1.0 on flannel.1 gives 0a:58:0a:f4:01:01, a MAC no VTEP in the fleet has (the VTEP was re-created since); node2's flannel.1 has 0a:58:0a:f4:01:99, so it drops the frames");
    expect(stale.fix).toBe("node1: ip neigh replace 10.244.1.0 lladdr 0a:58:0a:f4:01:99 dev flannel.1 nud permanent");
    expect(found.find((f) => f.code === "vxlan-fdb-missing" && f.subjects[0]?.startsWith("node3"))?.fix).toBe("node3: bridge fdb replace 0a:58:0a:f4:01:99 dev flannel.1 dst 192.168.50.12 self permanent");
  });

  it("names an FDB entry that sends a VTEP's frames to another node", () => {
    const fleet = flannelFleet();
    nodeAt(fleet, 0).fdb.find((e) => e.mac === "0a:58:0a:f4:01:01")!.dst = "192.168.50.13";
    expect(fabric(fleet)).toEqual([expect.objectContaining({ code: "vxlan-fdb-wrong-dst", message: "node1's FDB entry for node2's VTEP MAC 0a:58:0a:f4:01:01 on flannel.1 sends to 192.168.50.13 (node3), not node2's 192.168.50.12", fix: "node1: bridge fdb replace 0a:58:0a:f4:01:01 dev flannel.1 dst 192.168.50.12 self permanent" })]);
  });

  it("names a route left behind for a subnet no node owns any more", () => {
    const fleet = flannelFleet();
    const node1 = nodeAt(fleet, 0);
    node1.routes.push({ ...routeTo(node1, "10.244.1.0/24"), dst: "10.244.9.0/24", via: "10.244.9.0" });
    expect(fabric(fleet)).toEqual([
      { code: "fabric-route-stale", severity: "warning", message: "node1 routes 10.244.9.0/24 (10.244.9.0/24 via 10.244.9.0 dev flannel.1 onlink), but no node owns 10.244.9.0/24 any more: a route left behind by a node that went away or a subnet that moved", fix: "node1: ip route del 10.244.9.0/24 via 10.244.9.0 dev flannel.1", subjects: ["node1/host/flannel.1", "10.244.9.0/24"] },
    ]);
  });

  it("names the node whose VXLAN device has another VNI, against every node that agrees (each pair it cuts has both its nodes in the subjects)", () => {
    const fleet = flannelFleet();
    link(nodeAt(fleet, 2), "flannel.1").vxlan!.vni = 2;
    expect(fabric(fleet)).toEqual([
      expect.objectContaining({ code: "vxlan-vni-mismatch", message: "node3's flannel.1 uses VNI 2, but node1, node2 use 1: VXLAN packets between node3 and them find no device on the other side and are dropped", subjects: ["node3/host/flannel.1", "node1/host/flannel.1", "node2/host/flannel.1"] }),
    ]);
  });

  it("names a route to a moved subnet: via the VTEP of the node that had it", () => {
    const fleet = flannelFleet();
    Object.assign(routeTo(nodeAt(fleet, 0), "10.244.1.0/24"), { via: "10.244.2.0" });
    expect(brief(fleet)).toEqual(["fabric-route-wrong-node node1/host/flannel.1 node2/host 10.244.1.0/24"]);
    expect(fabric(fleet)[0]?.message).toMatch(/^node1 routes node2's pods \(10\.244\.1\.0\/24, .*\) via 10\.244\.2\.0 \(10\.244\.1\.0\/24 via 10\.244\.2\.0 dev flannel\.1 onlink\), node3's VTEP: the subnet is node2's now/);
  });

  it("names a VXLAN device that is down, with the nodes that send to it, and the command that brings it up", () => {
    const fleet = flannelFleet();
    link(nodeAt(fleet, 1), "flannel.1").flags = ["BROADCAST", "MULTICAST"];
    expect(fabric(fleet)).toEqual([
      { code: "vxlan-device-down", severity: "critical", message: "node2's VXLAN device flannel.1 is down (flags BROADCAST,MULTICAST): node1, node3 send node2's pods' packets to it, and they are dropped", fix: "node2: ip link set flannel.1 up", subjects: ["node2/host/flannel.1", "node1/host", "node3/host"] },
    ]);
  });

  it("names a pod MTU that, with VXLAN's 50 bytes, does not fit the underlay, at either end", () => {
    const big = flannelFleet();
    const node1 = nodeAt(big, 0);
    for (const l of node1.links) if (l.name !== "lo") l.mtu = 1500;
    expect(fabric(big)).toEqual([
      expect.objectContaining({ code: "fabric-mtu", message: "pods send packets of up to 1500 bytes with VXLAN's 50-byte headers, 1550 on the wire, but node1's eth0 has MTU 1500: larger packets from node1's pods to those of node2, node3 are lost", fix: "node1: ip link set flannel.1 mtu 1450" }),
    ]);
    const narrow = flannelFleet();
    link(nodeAt(narrow, 2), "eth0").mtu = 1400;
    const [limit, ...rest] = fabric(narrow);
    expect(rest).toEqual([]);
    expect(limit).toMatchObject({ code: "fabric-mtu", message: "pods send packets of up to 1450 bytes with VXLAN's 50-byte headers, 1500 on the wire, but node3's eth0 has MTU 1400: larger packets between node3's pods and those of node1, node2, both ways, are lost", fix: "node3: ip link set eth0 mtu 1500", subjects: ["node3/host/eth0", "node1/host", "node2/host"] });
  });
});

describe("fabric findings on a hand-made host-gw fleet", () => {
  it("names a deleted route with the route that mends it", () => {
    const fleet = handMadeHostGwFleet();
    dropRoute(nodeAt(fleet, 2), "10.244.0.0/24");
    expect(fabric(fleet)).toEqual([expect.objectContaining({ code: "fabric-route-missing", fix: "node3: ip route replace 10.244.0.0/24 via 192.168.50.11 dev eth0", subjects: ["node3/host/eth0", "node1/host", "10.244.0.0/24"] })]);
  });

  it("names a route to a moved subnet, via the node that had it", () => {
    const fleet = handMadeHostGwFleet();
    routeTo(nodeAt(fleet, 0), "10.244.1.0/24").via = "192.168.50.13";
    expect(fabric(fleet)).toEqual([expect.objectContaining({ code: "fabric-route-wrong-node", message: expect.stringMatching(/^node1 routes node2's pods \(.*\) to node3 \(10\.244\.1\.0\/24 via 192\.168\.50\.13 dev eth0\): the subnet is node2's now/), fix: "node1: ip route replace 10.244.1.0/24 via 192.168.50.12 dev eth0" })]);
  });

  it("names a route left behind by a node that left, and a gateway that is no node's", () => {
    const fleet = handMadeHostGwFleet();
    const node2 = nodeAt(fleet, 1);
    node2.routes.push({ ...routeTo(node2, "10.244.0.0/24"), dst: "10.244.7.0/24", via: "192.168.50.18" });
    routeTo(node2, "10.244.2.0/24").via = "192.168.50.99";
    expect(brief(fleet)).toEqual(["fabric-nexthop-wrong node2/host/eth0 node3/host 10.244.2.0/24", "fabric-route-stale node2/host/eth0 10.244.7.0/24"]);
  });

  it("takes a route to the subnet the spec gives a node that sent no snapshot for the fabric's, not for a leftover", () => {
    const [node1, node2] = handMadeHostGwFleet();
    const spec = FleetSpec.parse({ podCidr: "10.244.0.0/16", backend: { type: "host-gw" }, nodes: [1, 2, 3].map((k) => ({ name: `node${k}`, underlayIp: `192.168.50.1${k}` })) });
    const found = fleetFindings([node1!, node2!], spec, { allocation: { node1: "10.244.0.0/24", node2: "10.244.1.0/24", node3: "10.244.2.0/24" } });
    expect(found.filter((f) => f.code === "fabric-route-stale")).toEqual([]);
    // Without the spec nothing says 10.244.2.0/24 is anyone's: the route is reported.
    expect(fabric([node1!, node2!]).filter((f) => f.code === "fabric-route-stale").map((f) => f.subjects.at(-1))).toEqual(["10.244.2.0/24", "10.244.2.0/24"]);
  });

  it("names a gateway that is not on a network the node is connected to", () => {
    const fleet = handMadeHostGwFleet();
    const node1 = nodeAt(fleet, 0);
    dropRoute(node1, "192.168.50.0/24");
    node1.routes.push({ ...routeTo(node1, "0.0.0.0/0"), dst: "192.168.50.12/32", via: undefined, scope: "link" });
    expect(brief(fleet)).toEqual(["fabric-nexthop-wrong node1/host/eth0 node3/host 10.244.2.0/24"]);
  });

  it("names a receiving end whose underlay device is smaller than the pods' packets", () => {
    const fleet = handMadeHostGwFleet();
    link(nodeAt(fleet, 1), "eth0").mtu = 1400;
    expect(fabric(fleet)).toEqual([expect.objectContaining({ code: "fabric-mtu", message: "pods send packets of up to 1500 bytes, 1500 on the wire, but node2's eth0 has MTU 1400: larger packets between node2's pods and those of node1, node3, both ways, are lost", fix: "node2: ip link set eth0 mtu 1500" })]);
  });

  it("names one subnet on two nodes and a pod address on both, and checks no route to the subnet", () => {
    const fleet = handMadeHostGwFleet();
    const [, node2, node3] = fleet as [NodeSnapshot, NodeSnapshot, NodeSnapshot];
    const renumber = (s: NodeSnapshot) => JSON.parse(JSON.stringify(s).replaceAll("10.244.2.", "10.244.1.")) as NodeSnapshot;
    const moved = renumber(node3);
    moved.routes = node3.routes;
    fleet[2] = moved;
    const found = brief(fleet);
    expect(found.filter((f) => f.startsWith("subnet-owned-twice"))).toEqual(["subnet-owned-twice node2/host node3/host 10.244.1.0/24 10.244.1.0/24"]);
    expect(found.filter((f) => f.startsWith("pod-ip-duplicate")).length).toBe(2);
    expect(found.filter((f) => f.includes("10.244.1.0/24") && f.startsWith("fabric-route"))).toEqual([]);
    expect(node2.node).toBe("node2");
  });
});
