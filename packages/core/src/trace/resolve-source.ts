import { podKey } from "../model/pod.js";
import type { TraceSource } from "../model/trace.js";
import type { FleetIndex } from "./fleet-index.js";
import type { NodeIndex } from "./node-index.js";

export type ResolvedSource =
  | { ok: true; node: NodeIndex; netns: number; ip?: string; label: string; warning?: string }
  | { ok: false; kind: "unknown-source" | "source-dead"; message: string };

function fromPod(fleet: FleetIndex, name: string): ResolvedSource {
  const found = [...fleet.nodes.values()].flatMap((node) => node.snapshot.pods.filter((p) => (name.includes("/") ? podKey(p) === name : p.name === name)).map((pod) => ({ node, pod })));
  if (found.length === 0) return { ok: false, kind: "unknown-source", message: `no pod "${name}" in any node's snapshot` };
  if (found.length > 1) return { ok: false, kind: "unknown-source", message: `pod "${name}" is ambiguous: ${found.map((f) => `${podKey(f.pod)} on ${f.node.name}`).join(", ")}; say namespace/name` };
  const { node, pod } = found[0] as (typeof found)[number];
  const label = `pod ${podKey(pod)} on ${node.name}`;
  if (pod.netns === undefined) return { ok: false, kind: "source-dead", message: `${label} has no network namespace in the snapshot` };
  if (pod.sandbox.alive) return { ok: true, node, netns: pod.netns, ip: pod.ips[0], label };
  const holder = `its sandbox holder${pod.sandbox.pid ? ` (pid ${pod.sandbox.pid})` : ""} is dead`;
  // The runtime pins the namespace (/run/netns): while a container still lives in it, the
  // kernel still carries its packets, until the runtime tears the sandbox down.
  if (pod.containers.length === 0) return { ok: false, kind: "source-dead", message: `${label}: ${holder} and no container lives in its namespace, so nothing can send from it` };
  return { ok: true, node, netns: pod.netns, ip: pod.ips[0], label, warning: `${label}: ${holder}; its containers still share the pinned namespace, so packets flow until the runtime tears the sandbox down and makes a new one (with a new IP)` };
}

function fromContainer(fleet: FleetIndex, name: string): ResolvedSource {
  const found = [...fleet.nodes.values()].flatMap((node) => node.snapshot.containers.filter((c) => c.name === name || c.id.startsWith(name)).map((container) => ({ node, container })));
  if (found.length !== 1) return { ok: false, kind: "unknown-source", message: found.length ? `container "${name}" is ambiguous (${found.length} match)` : `no container "${name}" in any node's snapshot` };
  const { node, container } = found[0] as (typeof found)[number];
  const label = `container ${container.name} on ${node.name}`;
  if (container.netns === undefined || !container.pid) return { ok: false, kind: "source-dead", message: `${label} is ${container.state} and has no network namespace` };
  return { ok: true, node, netns: container.netns, ip: container.endpoints.find((e) => e.ipv4)?.ipv4, label };
}

function fromNetns(fleet: FleetIndex, ref: { node: string; id?: number; name?: string }): ResolvedSource {
  const node = fleet.nodes.get(ref.node);
  if (!node) return { ok: false, kind: "unknown-source", message: `no node "${ref.node}" in the fleet` };
  const ns = node.snapshot.namespaces.find((n) => (ref.id !== undefined ? n.id === ref.id : n.names.includes(ref.name ?? "")));
  if (!ns) return { ok: false, kind: "unknown-source", message: `${ref.node} has no namespace ${ref.id ?? ref.name}` };
  return { ok: true, node, netns: ns.id, label: `${node.netnsLabel(ns.id)} on ${node.name}` };
}

function fromIp(fleet: FleetIndex, ip: string): ResolvedSource {
  const owners = fleet.ownersOf(ip);
  const pods = owners.filter((o) => o.node.podIn(o.address.netns));
  const chosen = pods.length === 1 ? pods : owners;
  if (chosen.length !== 1) return { ok: false, kind: "unknown-source", message: owners.length ? `${ip} is on ${owners.length} interfaces: ${owners.map((o) => `${o.node.name}/${o.address.ifname}`).join(", ")}` : `no interface in the fleet has ${ip}` };
  const { node, address } = chosen[0] as (typeof chosen)[number];
  const pod = node.podIn(address.netns);
  if (pod) {
    const resolved = fromPod(fleet, podKey(pod));
    return resolved.ok ? { ...resolved, ip } : resolved;
  }
  return { ok: true, node, netns: address.netns, ip, label: `${node.netnsLabel(address.netns)} on ${node.name}` };
}

/** Finds the namespace a trace starts in; a pod whose sandbox died, or a namespace no process holds, is a dead source. */
export function resolveSource(fleet: FleetIndex, source: TraceSource): ResolvedSource {
  const resolved = "pod" in source ? fromPod(fleet, source.pod) : "container" in source ? fromContainer(fleet, source.container) : "netns" in source ? fromNetns(fleet, source.netns) : fromIp(fleet, source.ip);
  if (!resolved.ok) return resolved;
  const ns = resolved.node.netns(resolved.netns);
  if (ns && ns.kind !== "host" && ns.processes.length === 0) return { ok: false, kind: "source-dead", message: `${resolved.label}: no process lives in its namespace, so nothing can send from it` };
  return resolved;
}
