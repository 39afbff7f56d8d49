import { describe, expect, it } from "vitest";
import { nsidCandidates, withLinkNetns, type Link } from "../src/index.js";

const link = (netns: number, ifindex: number, kind: Link["kind"], linkIndex?: number, linkNetnsid?: number): Link => ({ netns, ifindex, kind, linkIndex, linkNetnsid, name: `l${netns}-${ifindex}`, mtu: 1500, state: "UP", flags: [] });

describe("resolving link netnsids to namespaces", () => {
  it("asks each namespace only about the namespaces that hold a link its nsids could point at", () => {
    const links = [
      link(1, 2, "device"),
      link(1, 5, "veth", 2, 0), // the host end of pod 10's eth0
      link(10, 2, "veth", 5, 0),
      link(20, 2, "veth", 9, 0), // its peer (ifindex 9) is in no namespace read
      link(30, 3, "other", 2, 1), // a macvlan on the host's device 2
    ];
    const candidates = nsidCandidates(links);
    expect([...candidates.keys()].sort()).toEqual([1, 10, 30]);
    // A veth's peer points back: 20's ifindex 2 does not, and the host's device 2 is no veth.
    expect([...(candidates.get(1) ?? [])]).toEqual([10]);
    expect([...(candidates.get(10) ?? [])]).toEqual([1]);
    // Any namespace with an ifindex 2 could hold the macvlan's lower device.
    expect([...(candidates.get(30) ?? [])].sort()).toEqual([1, 10, 20]);
  });

  it("does not ask a namespace about a link whose other end is already known to point back at it", () => {
    const links = [link(1, 5, "veth", 2, 0), link(1, 6, "veth", 2, 1), link(10, 2, "veth", 5, 0), link(20, 2, "veth", 6, 0)];
    // The host (1) was asked: its nsid 0 is pod 10, nsid 1 is not known (pod 20 not found).
    const candidates = nsidCandidates(links, new Map([[1, new Map([[0, 10]])]]));
    expect([...candidates.keys()]).toEqual([1, 20]);
  });

  it("sets linkNetns only where the asking namespace's table knows the nsid", () => {
    const links = [link(1, 5, "veth", 2, 0), link(1, 6, "veth", 2, 3), link(10, 2, "veth", 5, 0), link(10, 1, "loopback")];
    const resolved = withLinkNetns(links, new Map([[1, new Map([[0, 10]])]]));
    expect(resolved.map((l) => l.linkNetns)).toEqual([10, undefined, undefined, undefined]);
    expect(resolved[1]).toBe(links[1]);
  });
});
