import { bySeverity, podKey, type Finding, type NodeSnapshot, type Severity } from "@netatlas/core";
import { nodeStatus, type NodeStatus } from "./status";

/** The part of the server's node state the browser sees (no URL token, no agent client). */
export interface NodeView {
  name: string;
  url: string;
  source: "config" | "ui" | "kubernetes";
  snapshot?: NodeSnapshot;
  findings: Finding[];
  lastSeenAt?: number;
  lastError?: string;
  /** Its heartbeat, when it streams. */
  heardEveryMs?: number;
}

export interface FleetRow {
  name: string;
  url: string;
  source: NodeView["source"];
  status: NodeStatus;
  /** Age of the newest snapshot (ms), when there is one. */
  snapshotAgeMs?: number;
  lastSeenAt?: number;
  lastError?: string;
  kernel?: string;
  pods: number;
  deadPods: number;
  containers: number;
  dockerNetworks: string[];
  namespaces: number;
  findings: Record<Severity, number>;
}

export function fleetRow(node: NodeView, now: number, pollIntervalMs: number): FleetRow {
  const s = node.snapshot;
  const findings: Record<Severity, number> = { critical: 0, error: 0, warning: 0, info: 0 };
  for (const f of node.findings) findings[f.severity]++;
  return {
    name: node.name,
    url: node.url,
    source: node.source,
    status: nodeStatus({ lastSeenAt: node.lastSeenAt, lastError: node.lastError, hasSnapshot: !!s, heardEveryMs: node.heardEveryMs }, now, pollIntervalMs),
    snapshotAgeMs: s ? now - Date.parse(s.collectedAt) : undefined,
    lastSeenAt: node.lastSeenAt,
    lastError: node.lastError,
    kernel: s?.info.kernel,
    pods: s?.pods.length ?? 0,
    deadPods: s?.pods.filter((p) => !p.sandbox.alive).length ?? 0,
    containers: s?.containers.length ?? 0,
    dockerNetworks: s?.dockerNetworks.map((n) => n.name).sort() ?? [],
    namespaces: s?.namespaces.length ?? 0,
    findings,
  };
}

export interface FleetFinding extends Finding {
  node: string;
  /** When the dashboard first saw it (ms since the epoch), when its database knows. */
  firstSeenAt?: number | null;
}

/** Where a finding that spans nodes is listed: it names its nodes in its message, its subjects and its fix. */
export const ACROSS_NODES = "fleet";

/** Whether a finding that spans nodes is about `node`: a subject of it is on that node ("node1/host/eth0"), or its fix runs there. */
export function concernsNode(finding: Finding, node: string): boolean {
  return finding.subjects.some((s) => s === node || s.startsWith(`${node}/`)) || !!finding.fix?.startsWith(`${node}: `);
}

/** Every finding of the fleet, each node's and those across nodes (listed as "fleet"), grouped by code, worst group first. */
export function groupFindings(nodes: readonly NodeView[], acrossNodes: readonly Finding[] = []): { code: string; severity: Severity; items: FleetFinding[] }[] {
  const all = [...nodes.flatMap((n) => n.findings.map((f) => ({ ...f, node: n.name }))), ...acrossNodes.map((f) => ({ ...f, node: ACROSS_NODES }))].sort(bySeverity);
  const groups = new Map<string, FleetFinding[]>();
  for (const f of all) groups.set(f.code, [...(groups.get(f.code) ?? []), f]);
  return [...groups.entries()].map(([code, items]) => ({ code, severity: (items[0] as FleetFinding).severity, items }));
}

export interface FleetPod {
  node: string;
  key: string;
  namespace: string;
  name: string;
  ips: string[];
  alive: boolean;
  holderPid?: number;
  netns?: number;
  network?: string;
  containers: { name: string; pid?: number; command?: string }[];
}

/** Every pod of the fleet, by node then namespace/name. */
export function fleetPods(nodes: readonly NodeView[]): FleetPod[] {
  return nodes.flatMap((n) =>
    (n.snapshot?.pods ?? []).map((p) => ({
      node: n.name,
      key: podKey(p),
      namespace: p.namespace,
      name: p.name,
      ips: p.ips,
      alive: p.sandbox.alive,
      holderPid: p.sandbox.pid,
      netns: p.netns,
      network: p.network,
      containers: p.containers,
    })),
  ).sort((a, b) => a.node.localeCompare(b.node) || a.key.localeCompare(b.key));
}
