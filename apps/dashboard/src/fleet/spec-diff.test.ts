import { describe, expect, it } from "vitest";
import { diffSpecs } from "./spec-diff";

describe("diffSpecs", () => {
  it("names each changed field by its path, with the old and new value", () => {
    const before = { podCidr: "10.244.0.0/16", backend: { type: "vxlan", vni: 1, mtu: 1450 }, masquerade: true };
    const after = { podCidr: "10.245.0.0/16", backend: { type: "vxlan", vni: 7, mtu: 1450 }, masquerade: true };
    expect(diffSpecs(before, after)).toEqual([
      { path: "backend.vni", from: 1, to: 7 },
      { path: "podCidr", from: "10.244.0.0/16", to: "10.245.0.0/16" },
    ]);
  });

  it("matches nodes by name, so removing one is one change", () => {
    const n = (name: string, ip: string) => ({ name, underlayIp: ip });
    expect(diffSpecs({ nodes: [n("a", "10.0.0.1"), n("b", "10.0.0.2"), n("c", "10.0.0.3")] }, { nodes: [n("a", "10.0.0.1"), n("c", "10.0.0.9")] })).toEqual([
      { path: "nodes[b]", from: n("b", "10.0.0.2") },
      { path: "nodes[c].underlayIp", from: "10.0.0.3", to: "10.0.0.9" },
    ]);
  });

  it("reports a section that appears (e.g. one a newer spec adds) as added", () => {
    expect(diffSpecs({ podCidr: "x" }, { podCidr: "x", docker: { bip: "172.30.0.1/24" } })).toEqual([{ path: "docker", to: { bip: "172.30.0.1/24" } }]);
    expect(diffSpecs({ a: 1 }, { a: 1 })).toEqual([]);
  });
});
