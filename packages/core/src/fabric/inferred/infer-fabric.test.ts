import { describe, expect, it } from "vitest";
import { flannelFleet, handMadeHostGwFleet, hostOf, nodeAt } from "../../../test/support/brownfield.js";
import { FleetSpec } from "../fleet-spec.js";
import { inferFabric } from "./infer-fabric.js";

describe("the fabric inferred from snapshots alone", () => {
  it("reads a flannel-like fleet: pod subnets from the CNI results and cni0, the underlay, flannel.1 as the VTEP", () => {
    const fabric = inferFabric(flannelFleet());
    expect(fabric.backend).toBe("vxlan");
    expect(fabric.fromSpec).toBe(false);
    expect(fabric.podRange).toEqual({ cidr: "10.244.0.0/16", evidence: expect.stringMatching(/common prefix.*widened to \/16/) });
    const node2 = fabric.nodes.find((n) => n.node === "node2")!;
    expect(node2.podSubnets).toEqual([{ cidr: "10.244.1.0/24", source: "cni-cache", evidence: expect.stringMatching(/^inferred from the CNI IPAM result of pod default\/node2-pod\d's eth0 10\.244\.1\.\d\/24 and 1 more pod address\(es\); also inferred from cni0 10\.244\.1\.1\/24$/) }]);
    expect(node2.underlay).toEqual([{ ip: "192.168.50.12", prefixLength: 24, dev: "eth0", mtu: 1500 }]);
    expect(node2.tunnels).toEqual([{ kind: "vxlan", dev: "flannel.1", vni: 1, port: 8472, local: "192.168.50.12", mac: "0a:58:0a:f4:01:01", mtu: 1450, up: true, lower: "eth0", addresses: ["10.244.1.0/32"] }]);
    expect(node2).toMatchObject({ backend: "vxlan", fabricTunnel: "flannel.1", podMtu: 1450, dockerSubnets: [], outsideSpec: [] });
  });

  it("reads a hand-made host-gw fleet, and says the bridge's address when no pod's CNI result names the subnet", () => {
    const fleet = handMadeHostGwFleet();
    const node3 = nodeAt(fleet, 2);
    node3.pods = node3.pods.map((p) => ({ ...p, netns: undefined }));
    node3.namespaces = node3.namespaces.map((n) => (n.kind === "cni" ? { ...n, kind: "named" } : n));
    const fabric = inferFabric(fleet);
    expect(fabric.backend).toBe("host-gw");
    expect(fabric.nodes.map((n) => [n.node, n.backend, n.tunnels.length, n.underlay[0]?.ip])).toEqual([
      ["node1", "host-gw", 0, "192.168.50.11"],
      ["node2", "host-gw", 0, "192.168.50.12"],
      ["node3", "host-gw", 0, "192.168.50.13"],
    ]);
    // Its pods' namespaces are unknown: neither their CNI results nor cni0's ports say "pods".
    expect(fabric.nodes[2]!.podSubnets).toEqual([]);
    const withBridge = handMadeHostGwFleet();
    withBridge[2]!.pods = [];
    expect(inferFabric(withBridge).nodes[2]!.podSubnets).toEqual([{ cidr: "10.244.2.0/24", source: "bridge-address", evidence: "inferred from cni0 10.244.2.1/24" }]);
  });

  it("takes the Kubernetes node's podCIDR when the caller knows it, and a Docker host's networks as Docker subnets, not pods'", () => {
    const fleet = flannelFleet(2);
    const node1 = fleet[0]!;
    node1.dockerNetworks.push({ id: "d".repeat(64), name: "bridge", driver: "bridge", scope: "local", internal: false, subnets: [{ subnet: "172.17.0.0/16", gateway: "172.17.0.1" }], bridge: "docker0", options: {}, endpoints: [] });
    node1.links.push({ netns: hostOf(node1), ifindex: 99, name: "docker0", kind: "bridge", mtu: 1500, state: "DOWN", flags: ["BROADCAST", "MULTICAST", "UP"] });
    node1.addresses.push({ netns: hostOf(node1), ifindex: 99, ifname: "docker0", family: 4, address: "172.17.0.1", prefixLength: 16, scope: "global" });
    const fabric = inferFabric(fleet, undefined, { kubernetesPodCidrs: { node1: ["10.244.0.0/24"] } });
    expect(fabric.nodes[0]!.podSubnets).toEqual([{ cidr: "10.244.0.0/24", source: "kubernetes", evidence: expect.stringMatching(/^the Kubernetes node's podCIDR 10\.244\.0\.0\/24; also inferred from the CNI IPAM result/) }]);
    expect(fabric.nodes[0]!.dockerSubnets).toEqual([{ cidr: "172.17.0.0/16", network: "bridge", evidence: "Docker network bridge (docker0)" }]);
    expect(fabric.nodes[0]!.underlay.map((u) => u.dev)).toEqual(["eth0"]);
  });

  it("with a spec, takes its allocation as the truth and keeps what disagrees with it to be checked", () => {
    const fleet = handMadeHostGwFleet(2);
    const spec = FleetSpec.parse({ podCidr: "10.244.0.0/16", backend: { type: "host-gw" }, nodes: [{ name: "node1", underlayIp: "192.168.50.11" }, { name: "node2", underlayIp: "192.168.50.12" }] });
    const fabric = inferFabric(fleet, spec, { allocation: { node1: "10.244.0.0/24", node2: "10.244.7.0/24" } });
    expect(fabric).toMatchObject({ fromSpec: true, backend: "host-gw", podRange: { cidr: "10.244.0.0/16", evidence: "the fleet spec's pod CIDR" } });
    expect(fabric.nodes[0]!.podSubnets).toEqual([{ cidr: "10.244.0.0/24", source: "spec", evidence: expect.stringMatching(/^allocated to node1 by the fleet spec; also inferred from the CNI IPAM result/) }]);
    expect(fabric.nodes[1]!.podSubnets.map((s) => s.cidr)).toEqual(["10.244.7.0/24"]);
    expect(fabric.nodes[1]!.outsideSpec.map((s) => [s.cidr, s.source])).toEqual([["10.244.1.0/24", "cni-cache"]]);
    // Without a stored allocation, the spec keeps the subnets nodes already have.
    expect(inferFabric(fleet, spec).nodes.map((n) => n.podSubnets[0]?.cidr)).toEqual(["10.244.0.0/24", "10.244.1.0/24"]);
  });
});
