import { readFileSync } from "node:fs";
import { NodeSnapshot } from "@netatlas/core";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./paths.js";
import { scalePods } from "./pod-scaler.js";

const recorded = NodeSnapshot.array().parse(JSON.parse(readFileSync(`${repoRoot}packages/core/test/fixtures/fleet-vxlan.json`, "utf8")))[0]!;

describe("scalePods", () => {
  const scaled = scalePods(recorded, 110, (i) => `10.244.0.${i + 2}`);

  it("gives the node exactly the asked number of pods, each in its own namespace with its own IP", () => {
    expect(scaled.pods).toHaveLength(110);
    expect(new Set(scaled.pods.map((p) => p.netns)).size).toBe(110);
    expect(scaled.pods.map((p) => p.ips[0])).toEqual(Array.from({ length: 110 }, (_, i) => `10.244.0.${i + 2}`));
    expect(new Set(scaled.pods.map((p) => p.name)).size).toBe(110);
    expect(scaled.namespaces).toHaveLength(111);
  });

  it("joins each pod's namespace to a host veth of its own, on the recorded bridge", () => {
    const host = scaled.namespaces.find((n) => n.kind === "host")!.id;
    const bridge = scaled.links.find((l) => l.kind === "bridge")!;
    for (const pod of scaled.pods) {
      const eth0 = scaled.links.find((l) => l.netns === pod.netns && l.kind === "veth")!;
      const hostEnd = scaled.links.find((l) => l.netns === host && l.ifindex === eth0.peer!.ifindex)!;
      expect(hostEnd.peer).toEqual({ netns: pod.netns, ifindex: eth0.ifindex });
      expect(hostEnd.master).toBe(bridge.ifindex);
    }
    expect(new Set(scaled.links.filter((l) => l.netns === host).map((l) => l.ifindex)).size).toBe(scaled.links.filter((l) => l.netns === host).length);
  });

  it("keeps the node's own objects and renumbers each pod's address and NAT chain", () => {
    expect(scaled.links.filter((l) => l.kind === "vxlan")).toHaveLength(1);
    const ip = scaled.pods[50]!.ips[0]!;
    expect(scaled.addresses.filter((a) => a.address === ip)).toHaveLength(1);
    expect(scaled.nat.filter((r) => r.matches.some((m) => m.value === ip))).toHaveLength(1);
  });
});
