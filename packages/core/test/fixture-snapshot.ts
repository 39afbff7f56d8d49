import { readFileSync } from "node:fs";
import { assembleSnapshot, parseNamespaceJson, type NamespaceJson, type NamespaceState, type Netns, type NodeSnapshot } from "../src/index.js";

interface RecordedNamespace {
  name: string;
  inode: number;
  json: NamespaceJson;
}

export const fixture = JSON.parse(readFileSync(new URL("./fixtures/cni-node.json", import.meta.url), "utf8")) as { namespaces: RecordedNamespace[] };

export function recorded(name: string): RecordedNamespace {
  const ns = fixture.namespaces.find((n) => n.name === name);
  if (!ns) throw new Error(`fixture has no namespace ${name}`);
  return ns;
}

/** The recorded node as the agent would see it: the node namespace as host, pods held by a pause process. */
export function fixtureSnapshot(): NodeSnapshot {
  const namespaces: Netns[] = fixture.namespaces.map((ns, i) => ({
    id: ns.inode,
    kind: ns.name === "node" ? "host" : ns.name.startsWith("pod") ? "cni" : "named",
    names: [ns.name],
    paths: [`/var/run/netns/fx-${ns.name}`],
    processes: ns.name === "node" || ns.name.startsWith("pod") ? [{ pid: 100 + i, comm: ns.name === "node" ? "systemd" : "pause" }] : [],
    ipForward: ns.name === "node",
  }));
  const states = new Map<number, NamespaceState>(fixture.namespaces.map((ns) => [ns.inode, parseNamespaceJson(ns.json, ns.inode)]));
  return assembleSnapshot({
    node: "fixture-node",
    collectedAt: new Date("2026-11-25T00:00:00Z"),
    reader: "iproute2",
    info: { hostname: "fixture-node", os: "Debian", kernel: "6.1", arch: "x64", cpus: 2, memoryBytes: 1, interfaces: [] },
    namespaces,
    states,
  });
}
