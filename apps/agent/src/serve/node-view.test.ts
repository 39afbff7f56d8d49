import { describe, expect, it } from "vitest";
import type { Address, FilterRuleset, Link, NamespaceState, Neighbor, Netns, NodeSnapshot, Route } from "@netatlas/core";
import type { DiscoveredNetns, LinkTable } from "@netatlas/linux";
import { kernelDrift } from "./kernel-drift.js";
import { NodeView } from "./node-view.js";

const POD = 4026532001;
const table = {} as unknown as LinkTable;
const noFilter: FilterRuleset = { chains: [], rules: [] };

const link: Link = { netns: POD, ifindex: 2, name: "eth0", kind: "veth", mtu: 1500, state: "UP", flags: ["UP"], linkIndex: 9, linkNetnsid: 0 };
const address: Address = { netns: POD, ifindex: 2, ifname: "eth0", family: 4, address: "10.244.1.2", prefixLength: 24, scope: "global" };
const route = (dst: string, extra: Partial<Route> = {}): Route => ({ netns: POD, family: 4, table: "main", type: "unicast", dst, dev: "eth0", protocol: "boot", scope: "link", flags: [], ...extra });
const neighbour: Neighbor = { netns: POD, family: 4, address: "10.244.1.1", dev: "eth0", lladdr: "02:00:00:00:00:01", state: ["REACHABLE"], router: false };
/** The pod's namespace as a read found it, and as its snapshot shows it. */
const found: DiscoveredNetns = { id: POD, names: ["pod1"], paths: ["/var/run/netns/pod1"], processes: [], host: false, dockerSandbox: false, enterPath: "/var/run/netns/pod1" };
const podNetns: Netns = { id: POD, kind: "cni", names: ["pod1"], paths: ["/var/run/netns/pod1"], processes: [] };

function podState(routes: Route[] = [route("10.244.1.0/24")]): NamespaceState {
  return { links: [link], addresses: [address], routes, neighbors: [neighbour], fdb: [], nat: [], filter: noFilter };
}

function viewOf(state: NamespaceState): NodeView {
  const read: NodeSnapshot = {
    schemaVersion: 1,
    node: "node-a",
    collectedAt: new Date(0).toISOString(),
    reader: "netlink",
    info: { hostname: "node-a", os: "Debian", kernel: "6.1", arch: "x64", cpus: 2, memoryBytes: 1, interfaces: [] },
    namespaces: [podNetns],
    links: state.links,
    addresses: state.addresses,
    routes: state.routes,
    neighbors: state.neighbors,
    fdb: state.fdb,
    nat: [],
    filter: noFilter,
    containers: [],
    dockerNetworks: [],
    pods: [],
    warnings: [],
  } as NodeSnapshot;
  return new NodeView(read, new Map([[POD, { ns: found, state, linkTable: table }]]));
}

describe("the node view kept from notifications", () => {
  it("takes nft's rules from a read that notifications overtook, keeping the notified kinds as notified", () => {
    const view = viewOf(podState());
    view.apply(POD, { kind: "route", removed: false, replace: false, entry: route("10.77.0.0/24") });
    const masquerade = { netns: POD, family: "ip", table: "netatlas", chain: "postrouting", hook: "postrouting", action: "masquerade" as const, matches: [], text: "masquerade", partial: false };
    const read = { ...viewOf(podState()).latest(), nat: [masquerade] };
    view.adopt(read, new Map([[POD, { ns: found, state: { ...podState(), nat: [masquerade] }, linkTable: table }]]), () => true);
    expect(view.latest().nat).toEqual([masquerade]);
    expect(view.latest().routes.map((r) => r.dst)).toEqual(["10.244.1.0/24", "10.77.0.0/24"]);
  });

  it("takes the rules a facts read found in a namespace it held, and keeps that namespace's notified state", () => {
    const view = viewOf(podState());
    view.apply(POD, { kind: "route", removed: false, replace: false, entry: route("10.77.0.0/24") });
    const masquerade = { netns: POD, family: "ip", table: "netatlas", chain: "postrouting", hook: "postrouting", action: "masquerade" as const, matches: [], text: "masquerade", partial: false };
    // A facts read holds the namespace (no entry in the reads) and read only its nft.
    view.adopt(viewOf(podState()).latest(), new Map(), () => false, new Map([[POD, { nat: [masquerade], filter: noFilter }]]));
    expect(view.latest().nat).toEqual([masquerade]);
    expect(view.latest().routes.map((r) => r.dst)).toEqual(["10.244.1.0/24", "10.77.0.0/24"]);
  });

  it("applies a notified route as one event, and hands out a new snapshot that shares what did not change", () => {
    const view = viewOf(podState());
    const before = view.latest();
    const events = view.apply(POD, { kind: "route", removed: false, replace: false, entry: route("10.77.0.0/24") });
    expect(events).toEqual([{ kind: "route", action: "added", netns: POD, subject: "pod1: 10.77.0.0/24 dev eth0 scope link" }]);
    const after = view.latest();
    expect(after).not.toBe(before);
    expect(after.routes.map((r) => r.dst)).toEqual(["10.244.1.0/24", "10.77.0.0/24"]);
    expect(after.addresses).toBe(before.addresses);
    expect(after.links).toBe(before.links);
    expect(view.latest()).toBe(after);

    expect(view.apply(POD, { kind: "route", removed: true, replace: false, entry: route("10.77.0.0/24") })).toEqual([{ kind: "route", action: "removed", netns: POD, subject: "pod1: 10.77.0.0/24 dev eth0 scope link" }]);
    expect(view.latest().routes.map((r) => r.dst)).toEqual(["10.244.1.0/24"]);
  });

  it("lets a replacing route take the place of the one on another device, and ignores what the kernel repeats", () => {
    const view = viewOf(podState([route("10.88.0.0/24", { dev: "eth1" })]));
    const events = view.apply(POD, { kind: "route", removed: false, replace: true, entry: route("10.88.0.0/24") });
    expect(events.map((e) => `${e.action} ${e.subject}`)).toEqual(["removed pod1: 10.88.0.0/24 dev eth1 scope link", "added pod1: 10.88.0.0/24 dev eth0 scope link"]);
    expect(view.latest().routes).toEqual([route("10.88.0.0/24")]);
    const same = view.latest();
    expect(view.apply(POD, { kind: "route", removed: false, replace: false, entry: route("10.88.0.0/24") })).toEqual([]);
    expect(view.latest()).toBe(same);
  });

  it("drops a neighbour that went to a state a dump does not show, and changes one silently when only its NUD state moved", () => {
    const view = viewOf(podState());
    expect(view.apply(POD, { kind: "neighbor", removed: false, entry: { ...neighbour, state: ["STALE"] } })).toEqual([]);
    expect(view.latest().neighbors[0]?.state).toEqual(["STALE"]);
    expect(view.apply(POD, { kind: "neighbor", removed: true, entry: neighbour })).toEqual([{ kind: "neighbor", action: "removed", netns: POD, subject: "pod1/eth0 10.244.1.1" }]);
  });

  it("tells of a namespace read again by what differs, and keeps nft's part", () => {
    const view = viewOf(podState());
    const events = view.reread(POD, { state: { ...podState([]), links: [{ ...link, state: "DOWN" }] }, sysctls: { ipForward: true }, linkTable: table });
    expect(events.map((e) => `${e.kind} ${e.action} ${e.detail ?? e.subject}`)).toEqual(['link changed state "UP" -> "DOWN"', "route removed pod1: 10.244.1.0/24 dev eth0 scope link"]);
    expect(view.latest().namespaces[0]?.ipForward).toBe(true);
  });

  it("keeps the same snapshot when a read of the node says what the view says", () => {
    const view = viewOf(podState());
    const before = view.latest();
    const reads = new Map([[POD, { ns: found, state: podState(), linkTable: table }]]);
    expect(view.adopt({ ...before, collectedAt: new Date(1).toISOString() }, reads, () => false)).toEqual([]);
    expect(view.latest()).toBe(before);
    // A read that differs is taken, and tells what differs.
    expect(view.adopt(before, new Map([[POD, { ...reads.get(POD)!, state: podState([]) }]]), () => false).map((e) => e.action)).toEqual(["removed"]);
  });
});

describe("kernelDrift", () => {
  it("finds what a read has and the kept state lacks, and not a neighbour's NUD state or a link's peer", () => {
    const kept = podState();
    const read = { ...podState([route("10.244.1.0/24"), route("10.99.0.0/24")]), neighbors: [{ ...neighbour, state: ["DELAY"] }], links: [{ ...link, peer: { netns: 1, ifindex: 9 } }] };
    expect(kernelDrift(kept, read)).toEqual([`+ routes ${JSON.stringify(route("10.99.0.0/24"))}`]);
    expect(kernelDrift(kept, podState())).toEqual([]);
    // An INCOMPLETE neighbour comes without a notification: no drift either.
    expect(kernelDrift(kept, { ...podState(), neighbors: [neighbour, { ...neighbour, address: "10.244.1.9", lladdr: undefined, state: ["INCOMPLETE"] }] })).toEqual([]);
    // Nor a bridge's multicast list, joined with its IPv6 addresses; a unicast FDB entry is drift.
    const fdb = (mac: string) => ({ netns: 1, mac, dev: "docker0", state: "permanent", flags: ["self"] });
    expect(kernelDrift(kept, { ...podState(), fdb: [fdb("33:33:ff:74:1b:71")] })).toEqual([]);
    expect(kernelDrift(kept, { ...podState(), fdb: [fdb("02:42:ac:11:00:01")] })).toEqual([`+ fdb ${JSON.stringify(fdb("02:42:ac:11:00:01"))}`]);
  });
});
