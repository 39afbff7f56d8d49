import { describe, expect, it } from "vitest";
import { nodeFindings, type NodeSnapshot } from "../src/index.js";
import { fixtureSnapshot } from "./fixture-snapshot.js";

const codes = (s: NodeSnapshot) => nodeFindings(s).map((f) => f.code);

describe("findings over one node", () => {
  it("finds only the leaked namespaces in the healthy recorded node", () => {
    const findings = nodeFindings(fixtureSnapshot());
    expect(findings.map((f) => f.code).sort()).toEqual(["netns-without-process", "netns-without-process"]);
    expect(findings.map((f) => f.subjects[0]).sort()).toEqual(["fixture-node/leak", "fixture-node/underlay"]);
  });

  it("finds a Docker network whose subnet overlaps the pod bridge", () => {
    const s = fixtureSnapshot();
    s.dockerNetworks.push({ id: "abc", name: "clash", driver: "bridge", scope: "local", internal: false, subnets: [{ subnet: "10.244.0.0/16", gateway: "10.244.0.1" }], bridge: "br-abc", options: {}, endpoints: [] });
    const overlap = nodeFindings(s).find((f) => f.code === "cidr-overlap");
    expect(overlap?.message).toContain("cni0 (10.244.1.0/24)");
    expect(overlap?.message).toContain("br-abc (10.244.0.0/16)");
  });

  it("finds a route that sends part of a local bridge subnet to another node", () => {
    const s = fixtureSnapshot();
    const host = s.namespaces.find((n) => n.kind === "host")!;
    s.routes.push({ netns: host.id, family: 4, table: "main", type: "unicast", dst: "10.244.1.128/25", via: "10.244.2.0", dev: "flannel.1", protocol: "static", scope: "global", flags: ["onlink"] });
    expect(codes(s)).toContain("cidr-overlap");
  });

  it("finds ip_forward off where a bridge has ports", () => {
    const s = fixtureSnapshot();
    s.namespaces.find((n) => n.kind === "host")!.ipForward = false;
    const finding = nodeFindings(s).find((f) => f.code === "ip-forward-off");
    expect(finding?.subjects).toEqual(["fixture-node/node/cni0"]);
  });

  it("finds the same address on two interfaces", () => {
    const s = fixtureSnapshot();
    const pod2 = s.namespaces.find((n) => n.names[0] === "pod2")!;
    const pod1Address = s.addresses.find((a) => a.ifname === "eth0" && s.namespaces.find((n) => n.id === a.netns)?.names[0] === "pod1" && a.family === 4)!;
    s.addresses.push({ ...pod1Address, netns: pod2.id });
    const finding = nodeFindings(s).find((f) => f.code === "duplicate-address");
    expect(finding?.subjects[0]).toBe(pod1Address.address);
  });

  it("finds a veth whose peer namespace is not visible", () => {
    const s = fixtureSnapshot();
    const pod2 = s.namespaces.find((n) => n.names[0] === "pod2")!;
    s.namespaces = s.namespaces.filter((n) => n !== pod2);
    s.links = s.links.filter((l) => l.netns !== pod2.id).map((l) => (l.peer?.netns === pod2.id ? { ...l, peer: undefined } : l));
    const finding = nodeFindings(s).find((f) => f.code === "veth-peer-missing");
    expect(finding?.message).toMatch(/^veth veth[0-9a-f]+ in fixture-node\/node has its peer/);
  });

  it("does not take a containerised node's uplink (eth0 with its addresses, peer outside) for a leak, default route or not", () => {
    const s = fixtureSnapshot();
    const node = s.namespaces.find((n) => n.names[0] === "node")!;
    const underlay = s.namespaces.find((n) => n.names[0] === "underlay")!;
    node.kind = "host";
    s.namespaces = s.namespaces.filter((n) => n !== underlay);
    s.links = s.links.filter((l) => l.netns !== underlay.id).map((l) => (l.peer?.netns === underlay.id ? { ...l, peer: undefined } : l));
    expect(s.routes.some((r) => r.netns === node.id && r.dev === "eth0" && r.dst === "0.0.0.0/0")).toBe(true);
    expect(nodeFindings(s).filter((f) => f.code === "veth-peer-missing")).toEqual([]);
    // A node whose default route leaves by another device (or that has none) still owns its eth0.
    s.routes = s.routes.filter((r) => !(r.netns === node.id && r.dst === "0.0.0.0/0"));
    expect(nodeFindings(s).filter((f) => f.code === "veth-peer-missing")).toEqual([]);
    // Only its routes left (an unnumbered uplink): still the uplink.
    s.addresses = s.addresses.filter((a) => !(a.netns === node.id && a.ifname === "eth0" && a.scope === "global"));
    expect(s.routes.some((r) => r.netns === node.id && r.dev === "eth0" && r.family === 4)).toBe(true);
    expect(nodeFindings(s).filter((f) => f.code === "veth-peer-missing")).toEqual([]);
  });

  it("never suggests deleting a veth that carries addresses or routes, even in a leaked namespace", () => {
    const s = fixtureSnapshot();
    const pod1 = s.namespaces.find((n) => n.names[0] === "pod1")!;
    s.links = s.links.map((l) => (l.netns === pod1.id && l.kind === "veth" ? { ...l, peer: undefined } : l));
    const finding = nodeFindings(s).find((f) => f.code === "veth-peer-missing" && f.subjects[0] === "fixture-node/pod1/eth0");
    expect(finding?.hint).toMatch(/^It still carries 10\.244\.1\.\d+\/24, \d route\(s\): find the container or runtime that owns fixture-node\/pod1 before removing anything\.$/);
    expect(nodeFindings(s).filter((f) => /ip link delete/.test(f.hint ?? "") && f.subjects[0] === "fixture-node/pod1/eth0")).toEqual([]);
  });

  it("finds a VXLAN MTU that does not fit the underlay and a pod veth above its bridge", () => {
    const s = fixtureSnapshot();
    expect(nodeFindings(s).filter((f) => f.code === "mtu-mismatch")).toEqual([]);
    const vxlan = s.links.find((l) => l.kind === "vxlan")!;
    vxlan.mtu = 1500;
    const cni0 = s.links.find((l) => l.name === "cni0")!;
    const podEth0 = s.links.find((l) => l.name === "eth0" && s.links.some((p) => p.ifindex === l.peer?.ifindex && p.netns === l.peer?.netns && p.master === cni0.ifindex))!;
    podEth0.mtu = 9000;
    const found = nodeFindings(s).filter((f) => f.code === "mtu-mismatch");
    expect(found.map((f) => f.hint)).toEqual(expect.arrayContaining([`ip link set ${vxlan.name} mtu 1450`, "ip link set eth0 mtu 1500"]));
    expect(found).toHaveLength(2);
  });

  it("finds a pod whose sandbox holder died, as the worst finding", () => {
    const s = fixtureSnapshot();
    s.pods.push({ namespace: "default", name: "web", sandbox: { id: "abc", pid: 4242, alive: false }, ips: ["10.244.1.2"], containers: [] });
    const [worst] = nodeFindings(s);
    expect(worst).toMatchObject({ code: "pod-sandbox-dead", severity: "critical" });
    expect(worst?.message).toContain("PID 4242");
  });
});
