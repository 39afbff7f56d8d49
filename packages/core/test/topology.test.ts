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

  it("pairs look-alike nodes' veths by linkNetns where ifindexes and netnsids alone cannot tell them apart", () => {
    const veth = (netns: number, ifindex: number, linkIndex: number, linkNetns?: number): Link => ({ netns, ifindex, linkIndex, linkNetnsid: 0, linkNetns, name: `v${netns}-${ifindex}`, kind: "veth", mtu: 1500, state: "UP", flags: [] });
    // Nodes 100 and 200 were built the same way: each has veth 5 into its pod's eth0 (ifindex 2), both sides calling the other nsid 0.
    const lookAlike = (nodeNs?: number, podNs?: number) => [veth(100, 5, 2, podNs && 101), veth(101, 2, 5, nodeNs && 100), veth(200, 5, 2, podNs && 201), veth(201, 2, 5, nodeNs && 200)];
    const peers = (links: Link[]) => pairVeths(links).map((l) => l.peer && `${l.netns}/${l.ifindex} -> ${l.peer.netns}/${l.peer.ifindex}`);
    expect(peers(lookAlike())).toEqual([undefined, undefined, undefined, undefined]);
    const exact = ["100/5 -> 101/2", "101/2 -> 100/5", "200/5 -> 201/2", "201/2 -> 200/5"];
    expect(peers(lookAlike(1, 1))).toEqual(exact);
    // One resolved end is enough: the other end's candidates that point elsewhere drop out.
    expect(peers(lookAlike(undefined, 1))).toEqual(exact);
    expect(peers(lookAlike(1, undefined))).toEqual(exact);
  });

  it("leaves a veth unpaired when its peer is not in the snapshot", () => {
    const lonely: Link = { netns: 1, ifindex: 9, linkIndex: 44, linkNetnsid: 3, name: "veth9", kind: "veth", mtu: 1500, state: "LOWERLAYERDOWN", flags: [] };
    expect(pairVeths([lonely])[0]?.peer).toBeUndefined();
  });
});
