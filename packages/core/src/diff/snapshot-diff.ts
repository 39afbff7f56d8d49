import { addressCidr } from "../model/address.js";
import type { NetworkChange } from "../model/event.js";
import { netnsLabel } from "../model/netns.js";
import { podKey } from "../model/pod.js";
import { routeLine } from "../model/route.js";
import type { NodeSnapshot } from "../model/snapshot.js";

interface Keyed<T> {
  kind: NetworkChange["kind"];
  key: (item: T) => string;
  subject: (item: T) => string;
  /** What of the item may change while it keeps its identity. */
  state: (item: T) => Record<string, unknown>;
  netns?: (item: T) => number | undefined;
}

function describeChange(before: Record<string, unknown>, after: Record<string, unknown>): string | undefined {
  const changes = Object.keys({ ...before, ...after })
    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map((k) => `${k} ${JSON.stringify(before[k]) ?? "unset"} -> ${JSON.stringify(after[k]) ?? "unset"}`);
  return changes.length ? changes.join(", ") : undefined;
}

function diffList<T>(spec: Keyed<T>, before: readonly T[], after: readonly T[]): NetworkChange[] {
  const old = new Map(before.map((i) => [spec.key(i), i]));
  const now = new Map(after.map((i) => [spec.key(i), i]));
  const changes: NetworkChange[] = [];
  const base = (item: T) => ({ kind: spec.kind, netns: spec.netns?.(item), subject: spec.subject(item) });
  for (const [key, item] of now) {
    const prior = old.get(key);
    if (!prior) changes.push({ ...base(item), action: "added" });
    else {
      const detail = describeChange(spec.state(prior), spec.state(item));
      if (detail) changes.push({ ...base(item), action: "changed", detail });
    }
  }
  for (const [key, item] of old) if (!now.has(key)) changes.push({ ...base(item), action: "removed" });
  return changes;
}

/** What changed between two snapshots of one node, as events a person can read. */
export function diffSnapshots(before: NodeSnapshot, after: NodeSnapshot): NetworkChange[] {
  const nsName = new Map([...before.namespaces, ...after.namespaces].map((ns) => [ns.id, netnsLabel(ns)]));
  const where = (netns: number) => nsName.get(netns) ?? `netns:${netns}`;
  return [
    ...diffList({ kind: "netns", key: (n) => String(n.id), subject: (n) => `${netnsLabel(n)} [${n.kind}]`, state: (n) => ({ processes: n.processes.length, ipForward: n.ipForward }), netns: (n) => n.id }, before.namespaces, after.namespaces),
    ...diffList({ kind: "link", key: (l) => `${l.netns}/${l.ifindex}`, subject: (l) => `${where(l.netns)}/${l.name}`, state: (l) => ({ name: l.name, state: l.state, mtu: l.mtu, master: l.master, mac: l.mac }), netns: (l) => l.netns }, before.links, after.links),
    ...diffList({ kind: "address", key: (a) => `${a.netns}/${a.ifindex}/${addressCidr(a)}`, subject: (a) => `${where(a.netns)}/${a.ifname} ${addressCidr(a)}`, state: () => ({}), netns: (a) => a.netns }, before.addresses, after.addresses),
    ...diffList({ kind: "route", key: (r) => `${r.netns}/${r.table}/${r.type}/${r.dst}/${r.metric ?? ""}`, subject: (r) => `${where(r.netns)}: ${routeLine(r)}`, state: (r) => ({ via: r.via, dev: r.dev, protocol: r.protocol }), netns: (r) => r.netns }, before.routes, after.routes),
    ...diffList({ kind: "neighbor", key: (n) => `${n.netns}/${n.dev}/${n.address}`, subject: (n) => `${where(n.netns)}/${n.dev} ${n.address}`, state: (n) => ({ lladdr: n.lladdr, permanent: n.state.includes("PERMANENT") }), netns: (n) => n.netns }, before.neighbors, after.neighbors),
    ...diffList({ kind: "pod", key: podKey, subject: (p) => `pod ${podKey(p)}`, state: (p) => ({ alive: p.sandbox.alive, ips: p.ips }), netns: (p) => p.netns }, before.pods, after.pods),
    ...diffList({ kind: "container", key: (c) => c.id, subject: (c) => `container ${c.name}`, state: (c) => ({ state: c.state }), netns: (c) => c.netns }, before.containers, after.containers),
  ];
}
