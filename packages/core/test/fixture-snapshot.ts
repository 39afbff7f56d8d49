import { readFileSync } from "node:fs";
import { assembleSnapshot, parseNamespaceJson, type FoundNetns, type NamespaceJson, type NodeSnapshot } from "../src/index.js";

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
  const namespaces: FoundNetns[] = fixture.namespaces.map((ns, i) => ({
    id: ns.inode,
    names: [ns.name],
    paths: [`/var/run/netns/fx-${ns.name}`],
    processes: ns.name === "node" || ns.name.startsWith("pod") ? [{ pid: 100 + i, comm: ns.name === "node" ? "systemd" : "pause" }] : [],
    host: ns.name === "node",
    dockerSandbox: false,
  }));
  const snapshot = assembleSnapshot({
    node: "fixture-node",
    collectedAt: new Date("2026-11-25T00:00:00Z"),
    reader: "iproute2",
    info: { hostname: "fixture-node", os: "Debian", kernel: "6.1", arch: "x64", cpus: 2, memoryBytes: 1, interfaces: [] },
    namespaces,
    states: new Map(fixture.namespaces.map((ns) => [ns.inode, parseNamespaceJson(ns.json, ns.inode)])),
    sysctls: new Map(fixture.namespaces.map((ns) => [ns.inode, { ipForward: ns.name === "node" }])),
  });
  // The recording has no CNI cache (its pods were made by running the plugin by hand): their namespaces are the pods' a runtime's cache would make them.
  return { ...snapshot, namespaces: snapshot.namespaces.map((ns) => (ns.names[0]?.startsWith("pod") ? { ...ns, kind: "cni" } : ns)) };
}
