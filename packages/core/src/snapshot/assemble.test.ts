import { describe, expect, it } from "vitest";
import { noRules, NodeSnapshot, type Link, type NamespaceState } from "../index.js";
import { assembleSnapshot, type SnapshotParts } from "./assemble.js";
import type { FoundNetns } from "./node-namespaces.js";

const found = (id: number, over: Partial<FoundNetns> = {}): FoundNetns => ({ id, names: [], paths: [], processes: [], host: false, dockerSandbox: false, ...over });
const HOST = found(1, { names: ["host"], host: true, processes: [{ pid: 1, comm: "systemd" }] });
const DOCKER = found(2, { names: ["0c1d2e3f4a5b"], paths: ["/var/run/docker/netns/0c1d2e3f4a5b"], dockerSandbox: true, processes: [{ pid: 20, comm: "nginx" }] });
/** A pod whose sandbox dockerd made (dockershim): the CNI cache says it is a pod's. */
const DOCKERSHIM_POD = found(3, { names: ["6a7b8c9d0e1f"], paths: ["/var/run/docker/netns/6a7b8c9d0e1f"], dockerSandbox: true, processes: [{ pid: 30, comm: "pause" }] });
const CONTAINERD_POD = found(4, { names: ["cni-7f3a"], paths: ["/var/run/netns/cni-7f3a"] });
const NAMED = found(5, { names: ["lab"], paths: ["/var/run/netns/lab"] });
const HELD = found(6, { processes: [{ pid: 60, comm: "sleep" }] });

const state = (over: Partial<NamespaceState> = {}): NamespaceState => ({ links: [], addresses: [], routes: [], neighbors: [], fdb: [], ...noRules(), ...over });

const parts = (over: Partial<SnapshotParts>): SnapshotParts => ({
  node: "node-a",
  collectedAt: new Date("2026-12-04T00:00:00Z"),
  reader: "netlink",
  info: { hostname: "node-a", os: "Debian", kernel: "6.1", arch: "x64", cpus: 2, memoryBytes: 1, interfaces: [] },
  namespaces: [],
  states: new Map(),
  ...over,
});

const cacheEntry = (sandbox: string) => ({
  containerId: "sandbox-1",
  ifName: "eth0",
  networkName: "cbr0",
  cniArgs: [["K8S_POD_NAMESPACE", "shop"], ["K8S_POD_NAME", "web-0"]],
  result: { interfaces: [{ name: "eth0", sandbox }], ips: [{ address: "10.244.1.5/24" }] },
});

describe("assembling a node snapshot from what a reader found", () => {
  it("judges each namespace by where it was found: the node's own, a Docker sandbox, a pod's (by the CNI cache, even in a Docker sandbox), a cni- name, a named one, one only a process holds", () => {
    const snapshot = assembleSnapshot(parts({ namespaces: [HOST, DOCKER, DOCKERSHIM_POD, CONTAINERD_POD, NAMED, HELD], cniCache: [cacheEntry(DOCKERSHIM_POD.paths[0] as string)] }));
    expect(snapshot.namespaces.map((ns) => [ns.id, ns.kind])).toEqual([
      [1, "host"],
      [2, "docker"],
      [3, "cni"],
      [4, "cni"],
      [5, "named"],
      [6, "unknown"],
    ]);
    expect(snapshot.pods).toEqual([expect.objectContaining({ namespace: "shop", name: "web-0", netns: 3, sandbox: { id: "sandbox-1", pid: 30, alive: true } })]);
  });

  it("puts each namespace's sysctls into it in the schema's key order, leaves out what was not read, and makes what the schema's check would not change", () => {
    const sysctls = new Map([[HOST.id, { bridgeNfCallIptables: true, rpFilter: { all: 0 as const, default: 1 as const, interfaces: { eth0: 2 as const } }, ipForward: true }]]);
    const snapshot = assembleSnapshot(parts({ namespaces: [HOST, NAMED], states: new Map([[HOST.id, state()], [NAMED.id, state()]]), sysctls }));
    expect(Object.keys(snapshot.namespaces[0] ?? {})).toEqual(["id", "kind", "names", "paths", "processes", "ipForward", "rpFilter", "bridgeNfCallIptables"]);
    expect(snapshot.namespaces[1]).not.toHaveProperty("ipForward");
    expect(NodeSnapshot.parse(snapshot)).toStrictEqual(snapshot);
  });

  it("pairs veths across namespaces by what their nsids stand for, puts Docker's containers in theirs, and keeps the reader's warnings before those of the CNI cache and Kubernetes answers", () => {
    const veth = (netns: number, ifindex: number, linkIndex: number): Link => ({ netns, ifindex, name: `v${ifindex}`, kind: "veth", mtu: 1500, state: "UP", flags: [], linkIndex, linkNetnsid: 0 });
    const snapshot = assembleSnapshot(
      parts({
        namespaces: [HOST, NAMED, DOCKER],
        states: new Map([[HOST.id, state({ links: [veth(HOST.id, 7, 2)] })], [NAMED.id, state({ links: [veth(NAMED.id, 2, 7)] })]]),
        nsids: new Map([[HOST.id, new Map([[0, NAMED.id]])]]),
        warnings: ["nft in host: timed out"],
        cniCache: [{ containerId: 5 }],
        kubernetesPods: [{ metadata: {} }],
        docker: { containers: [{ Id: "c1", Name: "/web", State: { Pid: 20 } }], networks: [] },
      }),
    );
    expect(snapshot.links.map((l) => [l.netns, l.ifindex, l.peer])).toEqual([
      [HOST.id, 7, { netns: NAMED.id, ifindex: 2 }],
      [NAMED.id, 2, { netns: HOST.id, ifindex: 7 }],
    ]);
    expect(snapshot.warnings).toEqual(["nft in host: timed out", expect.stringMatching(/^CNI cache entry skipped: containerId: /), expect.stringMatching(/^Kubernetes pod skipped: metadata\.name: /)]);
    expect(snapshot.containers).toEqual([expect.objectContaining({ id: "c1", name: "web", netns: DOCKER.id })]);
  });
});
