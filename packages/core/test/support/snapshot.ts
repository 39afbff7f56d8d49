import type { NodeSnapshot } from "../../src/index.js";

/** The id of the host namespace in these snapshots. */
export const HOST_NETNS = 7;

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
