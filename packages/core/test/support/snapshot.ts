import type { Link, NodeSnapshot } from "../../src/index.js";

/** The id of the host namespace in these snapshots. */
export const HOST_NETNS = 7;

/** A node's host links before netatlas does anything: lo, eth0 on the underlay and the CNI plugin's cni0 (fresh objects: tests change them). */
export const nodeLinks = (): Link[] => [
  { netns: HOST_NETNS, ifindex: 1, name: "lo", kind: "loopback", mtu: 65536, state: "UNKNOWN", flags: ["UP"] },
  { netns: HOST_NETNS, ifindex: 2, name: "eth0", kind: "veth", mtu: 1500, state: "UP", flags: ["UP"], mac: "02:00:00:00:00:01" },
  { netns: HOST_NETNS, ifindex: 3, name: "cni0", kind: "bridge", mtu: 1500, state: "UP", flags: ["UP"] },
];

/** A node with only its host namespace and nothing in it; tests add what they are about. */
export function emptySnapshot(name: string, over: Partial<NodeSnapshot> = {}): NodeSnapshot {
  return {
    schemaVersion: 1,
    node: name,
    collectedAt: "2026-11-25T00:00:00.000Z",
    reader: "netlink",
    info: { hostname: name, os: "Debian", kernel: "6.1", arch: "x64", cpus: 2, memoryBytes: 1, interfaces: [] },
    namespaces: [{ id: HOST_NETNS, kind: "host", names: ["host"], paths: [], processes: [{ pid: 1, comm: "init" }], ipForward: true }],
    links: [],
    addresses: [],
    routes: [],
    neighbors: [],
    fdb: [],
    nat: [],
    containers: [],
    dockerNetworks: [],
    pods: [],
    warnings: [],
    ...over,
  };
}
