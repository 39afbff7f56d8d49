import { statSync } from "node:fs";
import { assembleSnapshot, parseNftRules, plan, type NodeIntent, type NodeSnapshot } from "@netatlas/core";
import { applyOps, chooseNamespaceReader, readNftRuleset } from "@netatlas/linux";

const netnsOf = (nodePid: number) => `/proc/${nodePid}/ns/net`;

/**
 * What `plan` needs of a lab node: the node's own network namespace (its "host"),
 * read from outside through /proc/PID/ns/net with the agent's readers. The pods'
 * namespaces are left out: a plan only looks at the host's links, routes, FDB and nft.
 */
export async function nodeNetworkSnapshot(name: string, nodePid: number): Promise<NodeSnapshot> {
  const path = netnsOf(nodePid);
  const id = statSync(path).ino;
  const reader = await chooseNamespaceReader("auto");
  const read = await reader.read(path, id, 5_000);
  return assembleSnapshot({
    node: name,
    collectedAt: new Date(),
    reader: reader.kind,
    info: { hostname: name, os: "netatlas lab node", kernel: "unknown", arch: process.arch, cpus: 0, memoryBytes: 0, interfaces: [] },
    namespaces: [{ id, names: ["host"], paths: [path], processes: [], host: true, dockerSandbox: false }],
    states: new Map([[id, { ...read.state, ...parseNftRules(await readNftRuleset(path), id) }]]),
    sysctls: new Map([[id, read.sysctls]]),
  });
}

/**
 * Gives a node its share of the fleet's pod fabric the way netatlas itself does:
 * plans the node's intent against a snapshot of the node, applies the ops, and
 * checks that a second plan finds nothing left to do. Returns how many ops it took.
 */
export async function applyFabric(name: string, nodePid: number, intent: NodeIntent): Promise<number> {
  const planned = plan(await nodeNetworkSnapshot(name, nodePid), intent);
  if (planned.conflicts.length) throw new Error(`${name}: the fabric plan has conflicts: ${planned.conflicts.join("; ")}`);
  const results = await applyOps(planned.ops, { netnsPath: netnsOf(nodePid) });
  const failed = results.find((r) => r.status === "failed");
  if (failed) throw new Error(`${name}: applying the fabric failed at ${failed.op.op} (${failed.op.reason}): ${failed.error ?? "unknown error"}`);
  const left = plan(await nodeNetworkSnapshot(name, nodePid), intent).ops;
  if (left.length) throw new Error(`${name}: after applying the fabric, a new plan still wants ${left.map((op) => op.op).join(", ")}`);
  return planned.ops.length;
}
