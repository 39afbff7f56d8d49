import {
  addressIdentity,
  diffSnapshots,
  fdbIdentity,
  linkIdentity,
  listChanges,
  neighborIdentity,
  netnsLabel,
  nodeLinks,
  routeIdentity,
  snapshotHash,
  type Link,
  type NamespaceState,
  type Netns,
  type NetworkChange,
  type NodeSnapshot,
  type NsidTable,
} from "@netatlas/core";
import type { DiscoveredNetns, HeldNamespace, KernelRead, LinkTable } from "@netatlas/linux";
import { NamespaceView, type EntryChange, type KernelKind } from "./namespace-view.js";

/** One namespace as a read of the node found it. */
export interface NamespaceRead {
  ns: DiscoveredNetns;
  state: NamespaceState;
  linkTable: LinkTable;
}

/** What each namespace's nsids stand for, as far as the read's links tell (readNsidTable asked the kernel for these). */
function nsidsOf(links: readonly Link[]): NsidTable {
  const table = new Map<number, Map<number, number>>();
  for (const l of links) {
    if (l.linkNetnsid === undefined || l.linkNetns === undefined) continue;
    const known = table.get(l.netns) ?? new Map<number, number>();
    known.set(l.linkNetnsid, l.linkNetns);
    table.set(l.netns, known);
  }
  return table;
}

const KINDS: readonly KernelKind[] = ["links", "addresses", "routes", "neighbors", "fdb"];

/**
 * The node as the live node keeps it between reads: the last read's namespaces, pods,
 * containers and Docker networks, and each namespace's kernel state, changed entry by
 * entry. Each snapshot it hands out is a new object made only after something changed,
 * and the arrays of kinds that did not change are the previous snapshot's.
 */
export class NodeView {
  private views = new Map<number, NamespaceView>();
  private namespaces: Netns[] = [];
  private base: NodeSnapshot;
  private nsids: NsidTable;
  private readonly dirty = new Set<KernelKind | "namespaces">();
  private current: NodeSnapshot;

  constructor(read: NodeSnapshot, reads: ReadonlyMap<number, NamespaceRead>) {
    this.base = read;
    this.nsids = nsidsOf(read.links);
    this.current = read;
    this.take(read, reads, () => false);
  }

  /** The current snapshot, made now if something changed since the last. */
  latest(): NodeSnapshot {
    if (this.dirty.size > 0) this.current = this.build();
    return this.current;
  }

  has(netns: number): boolean {
    return this.views.has(netns);
  }

  ids(): number[] {
    return [...this.views.keys()];
  }

  enterPath(netns: number): string | undefined {
    return this.views.get(netns)?.enterPath;
  }

  linkTable(netns: number): LinkTable | undefined {
    return this.views.get(netns)?.linkTable;
  }

  /** What a read of the node is handed instead of reading the namespace again. */
  held(netns: number): HeldNamespace | undefined {
    const view = this.views.get(netns);
    const ns = this.namespaces.find((n) => n.id === netns);
    if (!view || !ns) return undefined;
    const { ipForward, rpFilter, bridgeNfCallIptables, bridgeNfCallIp6tables } = ns;
    const sysctls = Object.fromEntries(Object.entries({ ipForward, rpFilter, bridgeNfCallIptables, bridgeNfCallIp6tables }).filter(([, v]) => v !== undefined));
    return { state: view.state(), sysctls };
  }

  /** Every namespace's links as read (unpaired), with the namespaces, for asking which nsid is which. */
  linksAndNamespaces(): { links: Link[]; namespaces: Array<Pick<DiscoveredNetns, "id" | "names" | "enterPath">> } {
    const namespaces = this.namespaces.flatMap((ns) => {
      const view = this.views.get(ns.id);
      return view ? [{ id: ns.id, names: ns.names, enterPath: view.enterPath }] : [];
    });
    return { links: [...this.views.values()].flatMap((v) => v.state().links), namespaces };
  }

  setNsids(table: NsidTable): void {
    this.nsids = table;
    this.dirty.add("links");
  }

  private where = (netns: number) => {
    const ns = this.namespaces.find((n) => n.id === netns);
    return ns ? netnsLabel(ns) : `netns:${netns}`;
  };

  /** Applies one notified entry of a namespace; returns its events. */
  apply(netns: number, change: EntryChange): NetworkChange[] {
    const view = this.views.get(netns);
    if (!view) return [];
    const { kind, events } = view.apply(change, this.where);
    if (kind) this.dirty.add(kind);
    return events;
  }

  /** Takes a fresh read of one namespace (after a notification whose effects are not announced); returns what changed. */
  reread(netns: number, read: KernelRead): NetworkChange[] {
    const view = this.views.get(netns);
    if (!view || !read.linkTable) return [];
    const before = view.state();
    view.replace(read.state, read.linkTable);
    const after = view.state();
    // The sysctls come with every read of the namespace (no notification tells of them).
    this.namespaces = this.namespaces.map((ns) => {
      if (ns.id !== netns) return ns;
      const now = { ...ns, ...read.sysctls };
      return JSON.stringify(now) === JSON.stringify(ns) ? ns : now;
    });
    for (const kind of KINDS) this.dirty.add(kind);
    return [
      ...listChanges(linkIdentity, before.links, after.links, this.where),
      ...listChanges(addressIdentity, before.addresses, after.addresses, this.where),
      ...listChanges(routeIdentity, before.routes, after.routes, this.where),
      ...listChanges(neighborIdentity, before.neighbors, after.neighbors, this.where),
      ...listChanges(fdbIdentity, before.fdb, after.fdb, this.where),
    ];
  }

  /**
   * Takes a read of the node: its namespaces (those gone are dropped), pods, containers
   * and Docker networks, and the kernel state of each namespace it read, except those
   * `keep` says to keep as they are (they changed while the read was under way; the
   * caller reads them again). Returns what changed; nothing, and the same snapshot
   * object, when the read says what the view already said.
   */
  adopt(read: NodeSnapshot, reads: ReadonlyMap<number, NamespaceRead>, keep: (netns: number) => boolean, heldRules?: ReadonlyMap<number, Pick<NamespaceState, "nat" | "filter">>): NetworkChange[] {
    const before = this.latest();
    this.base = read;
    this.nsids = nsidsOf(read.links);
    for (const [id, rules] of heldRules ?? []) this.views.get(id)?.takeRules(rules);
    this.take(read, reads, keep);
    const next = this.build();
    // The hash is what the snapshot stream needs of each snapshot anyway (made once per object).
    if (snapshotHash(next) === snapshotHash(before)) return [];
    this.current = next;
    return diffSnapshots(before, next);
  }

  private take(read: NodeSnapshot, reads: ReadonlyMap<number, NamespaceRead>, keep: (netns: number) => boolean): void {
    const views = new Map<number, NamespaceView>();
    for (const ns of read.namespaces) {
      const old = this.views.get(ns.id);
      const fresh = reads.get(ns.id);
      if (old && fresh && keep(ns.id)) old.takeRules(fresh.state);
      if (old && (!fresh || keep(ns.id))) views.set(ns.id, old);
      else if (fresh) views.set(ns.id, new NamespaceView(fresh.ns.enterPath, fresh.linkTable, fresh.state));
    }
    this.views = views;
    this.namespaces = read.namespaces;
    for (const kind of KINDS) this.dirty.add(kind);
    this.dirty.add("namespaces");
  }

  private build(): NodeSnapshot {
    const states = [...this.views.values()].map((v) => v.state());
    const prev = this.current;
    const changed = (kind: KernelKind | "namespaces") => this.dirty.has(kind) || this.dirty.has("namespaces");
    const snapshot: NodeSnapshot = {
      ...this.base,
      collectedAt: new Date().toISOString(),
      namespaces: this.namespaces,
      links: changed("links") ? nodeLinks(states, this.nsids, this.namespaces) : prev.links,
      addresses: changed("addresses") ? states.flatMap((s) => s.addresses) : prev.addresses,
      routes: changed("routes") ? states.flatMap((s) => s.routes) : prev.routes,
      neighbors: changed("neighbors") ? states.flatMap((s) => s.neighbors) : prev.neighbors,
      fdb: changed("fdb") ? states.flatMap((s) => s.fdb) : prev.fdb,
      nat: this.dirty.has("namespaces") ? states.flatMap((s) => s.nat) : prev.nat,
      filter: this.dirty.has("namespaces") ? { chains: states.flatMap((s) => s.filter.chains), rules: states.flatMap((s) => s.filter.rules) } : prev.filter,
    };
    this.dirty.clear();
    return snapshot;
  }
}
