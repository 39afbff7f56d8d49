import { addressCidr, type Address } from "../model/address.js";
import type { Container } from "../model/container.js";
import type { NetworkChange } from "../model/event.js";
import type { FdbEntry } from "../model/fdb.js";
import type { Link } from "../model/link.js";
import type { Neighbor } from "../model/neighbor.js";
import { netnsLabel, type Netns } from "../model/netns.js";
import { podKey, type Pod } from "../model/pod.js";
import { routeLine, type Route } from "../model/route.js";

/** A namespace's label by its id, for the words of an event. */
export type NetnsLabels = (netns: number) => string;

/**
 * How entries of one kind are told apart (key), named for a person (subject), and
 * what of one may change while it stays itself (state). A snapshot diff and a change
 * applied from a kernel notification use the same, so both tell of a change alike.
 */
export interface EntryIdentity<T> {
  kind: NetworkChange["kind"];
  key: (item: T) => string;
  subject: (item: T, where: NetnsLabels) => string;
  state: (item: T) => Record<string, unknown>;
  netns: (item: T) => number | undefined;
}

export const netnsIdentity: EntryIdentity<Netns> = { kind: "netns", key: (n) => String(n.id), subject: (n) => `${netnsLabel(n)} [${n.kind}]`, state: (n) => ({ processes: n.processes.length, ipForward: n.ipForward }), netns: (n) => n.id };

export const linkIdentity: EntryIdentity<Link> = { kind: "link", key: (l) => `${l.netns}/${l.ifindex}`, subject: (l, where) => `${where(l.netns)}/${l.name}`, state: (l) => ({ name: l.name, state: l.state, mtu: l.mtu, master: l.master, mac: l.mac }), netns: (l) => l.netns };

export const addressIdentity: EntryIdentity<Address> = { kind: "address", key: (a) => `${a.netns}/${a.ifindex}/${addressCidr(a)}`, subject: (a, where) => `${where(a.netns)}/${a.ifname} ${addressCidr(a)}`, state: () => ({}), netns: (a) => a.netns };

/**
 * The device is part of a route's identity: every link of a namespace has its own
 * fe80::/64 with the same table and metric, and those are as many routes.
 */
export const routeIdentity: EntryIdentity<Route> = {
  kind: "route",
  key: (r) => `${r.netns}/${r.table}/${r.type}/${r.dst}/${r.metric ?? ""}/${r.dev ?? ""}`,
  subject: (r, where) => `${where(r.netns)}: ${routeLine(r)}`,
  state: (r) => ({ via: r.via, protocol: r.protocol }),
  netns: (r) => r.netns,
};

export const neighborIdentity: EntryIdentity<Neighbor> = { kind: "neighbor", key: (n) => `${n.netns}/${n.dev}/${n.address}`, subject: (n, where) => `${where(n.netns)}/${n.dev} ${n.address}`, state: (n) => ({ lladdr: n.lladdr, permanent: n.state.includes("PERMANENT") }), netns: (n) => n.netns };

/**
 * A MAC can be in a device's own table ("self") and its bridge's ("master") at once,
 * and a VXLAN device holds one entry per remote for the same MAC (the all-zeros one).
 */
export const fdbIdentity: EntryIdentity<FdbEntry> = {
  kind: "fdb",
  key: (e) => `${e.netns}/${e.dev}/${e.mac}/${e.vlan ?? ""}/${e.dst ?? ""}/${e.master ?? ""}/${e.flags.includes("self") ? "self" : ""}`,
  subject: (e, where) => `${where(e.netns)}/${e.dev} ${e.mac}${e.dst ? ` dst ${e.dst}` : ""}${e.master ? ` master ${e.master}` : ""}`,
  state: (e) => ({ state: e.state }),
  netns: (e) => e.netns,
};

export const podIdentity: EntryIdentity<Pod> = { kind: "pod", key: podKey, subject: (p) => `pod ${podKey(p)}`, state: (p) => ({ alive: p.sandbox.alive, ips: p.ips }), netns: (p) => p.netns };

export const containerIdentity: EntryIdentity<Container> = { kind: "container", key: (c) => c.id, subject: (c) => `container ${c.name}`, state: (c) => ({ state: c.state }), netns: (c) => c.netns };

function describeChange(before: Record<string, unknown>, after: Record<string, unknown>): string | undefined {
  const changes = Object.keys({ ...before, ...after })
    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map((k) => `${k} ${JSON.stringify(before[k]) ?? "unset"} -> ${JSON.stringify(after[k]) ?? "unset"}`);
  return changes.length ? changes.join(", ") : undefined;
}

/** One entry's change, from what was (undefined: nothing) to what is (undefined: gone); undefined when nothing a person would see changed. */
export function entryChange<T>(identity: EntryIdentity<T>, before: T | undefined, after: T | undefined, where: NetnsLabels): NetworkChange | undefined {
  const item = (after ?? before) as T | undefined;
  if (item === undefined || before === after) return undefined;
  const base = () => ({ kind: identity.kind, netns: identity.netns(item), subject: identity.subject(item, where) });
  if (before === undefined) return { ...base(), action: "added" };
  if (after === undefined) return { ...base(), action: "removed" };
  const detail = describeChange(identity.state(before), identity.state(after));
  return detail ? { ...base(), action: "changed", detail } : undefined;
}

/** The changes between two lists of entries of one kind, matched by key. */
export function listChanges<T>(identity: EntryIdentity<T>, before: readonly T[], after: readonly T[], where: NetnsLabels): NetworkChange[] {
  // Snapshots share what did not change (the list, or its entries): those cost nothing here.
  if (before === after) return [];
  const old = new Map(before.map((i) => [identity.key(i), i]));
  const now = new Map(after.map((i) => [identity.key(i), i]));
  const changes: NetworkChange[] = [];
  for (const [key, item] of now) {
    const change = entryChange(identity, old.get(key), item, where);
    if (change) changes.push(change);
  }
  for (const [key, item] of old) if (!now.has(key)) changes.push(entryChange(identity, item, undefined, where) as NetworkChange);
  return changes;
}
