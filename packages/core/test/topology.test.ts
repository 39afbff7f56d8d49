import { describe, expect, it } from "vitest";
import { LinkIndex, displayName, explainLink, pairVeths, type Link } from "../src/index.js";
import { fixtureSnapshot } from "./fixture-snapshot.js";

describe("veth pairing across namespaces", () => {
  it("pairs every veth of the recorded CNI node with its peer, both ways", () => {
    const snapshot = fixtureSnapshot();
    const index = new LinkIndex(snapshot.links);
    const veths = snapshot.links.filter((l) => l.kind === "veth");
    expect(veths.length).toBe(6);
    for (const veth of veths) {
      const peer = index.peerOf(veth);
      expect(peer, `peer of ${veth.name}`).toBeDefined();
      expect(index.peerOf(peer as Link)).toBe(veth);
      expect(peer?.netns).not.toBe(veth.netns);
    }
  });

  it("resolves the pod side's eth0 to a port of cni0 in the node", () => {
    const snapshot = fixtureSnapshot();
    const index = new LinkIndex(snapshot.links);
    const pod = snapshot.namespaces.find((n) => n.names[0] === "pod1");
    const eth0 = snapshot.links.find((l) => l.netns === pod?.id && l.name === "eth0") as Link;
    expect(index.masterOf(index.peerOf(eth0) as Link)?.name).toBe("cni0");
    expect(displayName(eth0, index)).toBe(`eth0@if${eth0.linkIndex}`);
    const text = explainLink(eth0, index, snapshot.namespaces);
    expect(text).toContain(`its peer is interface ${eth0.linkIndex}`);
    expect(text).toContain("in namespace node");
    expect(text).toContain("port of bridge cni0");
  });

  it("chooses between namespaces with the same ifindexes by the netnsid the other pairs agree on", () => {
    const veth = (netns: number, ifindex: number, linkIndex: number, linkNetnsid: number): Link => ({ netns, ifindex, linkIndex, linkNetnsid, name: `v${netns}-${ifindex}`, kind: "veth", mtu: 1500, state: "UP", flags: [] });
    // Host 1 has two veths into pod 10; pods 10 and 20 both use ifindexes 2 and 3 pointing at 5 and 6.
    const links = [veth(1, 5, 2, 0), veth(1, 6, 3, 0), veth(10, 2, 5, 0), veth(10, 3, 6, 0), veth(20, 2, 5, 0), veth(30, 5, 2, 0)];
    // Host 30's veth (5 -> 2) is the real peer of pod 20; host 1's ifindex 6 only matches pod 10.
    const paired = pairVeths(links);
    const peer = (netns: number, ifindex: number) => paired.find((l) => l.netns === netns && l.ifindex === ifindex)?.peer;
    expect(peer(1, 6)).toEqual({ netns: 10, ifindex: 3 });
    expect(peer(1, 5)).toEqual({ netns: 10, ifindex: 2 });
  });

  it("leaves a veth unpaired when its peer is not in the snapshot", () => {
    const lonely: Link = { netns: 1, ifindex: 9, linkIndex: 44, linkNetnsid: 3, name: "veth9", kind: "veth", mtu: 1500, state: "LOWERLAYERDOWN", flags: [] };
    expect(pairVeths([lonely])[0]?.peer).toBeUndefined();
  });
});
