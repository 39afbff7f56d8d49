import { describe, expect, it } from "vitest";
import type { NodeSnapshot } from "@netatlas/core";
import { suggestNode } from "./underlay-guess";

const addr = (ifname: string, address: string, netns = 1) => ({ netns, ifindex: 2, ifname, family: 4 as const, address, prefixLength: 24, scope: "global" });

describe("suggestNode", () => {
  it("takes the address of the default route's device, not the pod bridge's", () => {
    const snapshot = {
      node: "Node1",
      namespaces: [{ id: 1, kind: "host" }],
      links: [{ netns: 1, name: "cni0", kind: "bridge" }],
      addresses: [addr("cni0", "10.244.0.1"), addr("eth0", "192.168.50.11"), addr("eth0", "10.9.9.9", 2)],
      routes: [{ netns: 1, table: "main", dst: "default", dev: "eth0" }],
    } as unknown as NodeSnapshot;
    expect(suggestNode(snapshot)).toEqual({ name: "node1", underlayIp: "192.168.50.11", underlayDev: "eth0" });
  });

  it("without a default route, skips bridges and finds the physical device", () => {
    const snapshot = { node: "n2", namespaces: [{ id: 1, kind: "host" }], links: [{ netns: 1, name: "cni0", kind: "bridge" }], addresses: [addr("cni0", "10.244.1.1"), addr("ens3", "10.0.0.5")], routes: [] } as unknown as NodeSnapshot;
    expect(suggestNode(snapshot)).toEqual({ name: "n2", underlayIp: "10.0.0.5", underlayDev: "ens3" });
  });
});
