import { describe, expect, it } from "vitest";
import { validateFleetSpec } from "@netatlas/core";
import { EMPTY_SPEC, getField, hasPodFabric, otherSections, setField, withPodFabric } from "./spec-draft";

describe("spec draft editing", () => {
  it("sets and removes nested fields without touching sections the form does not know", () => {
    const draft = { backend: { type: "vxlan" }, nodes: [{ name: "a" }, { name: "b" }], docker: { networks: [] } };
    const a = setField(draft, "backend.vni", 42);
    expect(getField(a, "backend.vni")).toBe(42);
    expect(draft.backend).toEqual({ type: "vxlan" });
    expect(setField(a, "nodes.0.underlayIp", "10.0.0.1").nodes).toEqual([{ name: "a", underlayIp: "10.0.0.1" }, { name: "b" }]);
    expect(setField(a, "nodes.0", undefined).nodes).toEqual([{ name: "b" }]);
    expect(setField(a, "backend.vni", undefined).backend).toEqual({ type: "vxlan" });
    expect(otherSections(a)).toEqual(["docker"]);
  });

  it("drops the pod fabric's fields for a fleet of plain Docker hosts, and brings them back at their usual values", () => {
    const docker = { range: "172.30.0.0/16", hosts: ["a"], networks: [{ name: "app" }] };
    const draft = { ...EMPTY_SPEC, podCidr: "10.50.0.0/16", nodes: [{ name: "a", underlayIp: "192.168.1.10" }], docker };
    const off = withPodFabric(draft, false);
    expect(off).toEqual({ underlayMtu: 1500, nodes: draft.nodes, docker });
    expect(hasPodFabric(off)).toBe(false);
    expect(validateFleetSpec(off).ok).toBe(true);
    expect(validateFleetSpec(withPodFabric({ ...off, docker: undefined }, false)).ok).toBe(false);
    const on = withPodFabric(off, true);
    expect(hasPodFabric(on)).toBe(true);
    expect(on).toMatchObject({ podCidr: "10.244.0.0/16", backend: { type: "host-gw" }, bridge: "cni0", masquerade: true, nodeSubnetPrefix: 24, docker });
    expect(withPodFabric(draft, true).podCidr).toBe("10.50.0.0/16");
  });
});
