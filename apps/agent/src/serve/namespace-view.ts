import { entryChange, fdbIdentity, neighborIdentity, routeIdentity, type Address, type FdbEntry, type Link, type NamespaceState, type NetnsLabels, type Neighbor, type NetworkChange, type Route } from "@netatlas/core";
import type { KernelChange, LinkTable } from "@netatlas/linux";

/** The kinds of kernel entry a namespace holds, as the snapshot's arrays are named. */
export type KernelKind = "links" | "addresses" | "routes" | "neighbors" | "fdb";

/** A change a notification carries whole: the entry as it is now, or gone. */
export type EntryChange = Extract<KernelChange, { kind: "route" | "neighbor" | "fdb" }>;

/** Does the route take `replaced`'s place (NLM_F_REPLACE): the same table, destination and metric, whatever its device or type? */
const samePlace = (route: Route, replaced: Route) => route.table === replaced.table && route.family === replaced.family && route.dst === replaced.dst && route.metric === replaced.metric;

/**
 * One namespace's kernel state as the live node keeps it. Routes, neighbours and FDB
 * entries are keyed as the kernel tells them apart, so a notification replaces or
 * removes exactly one (O(1)); links and addresses are replaced whole, by a re-read of
 * the namespace (see decodeKernelChange for why). nft's rules (nat, filter) come only
 * from full reads. The arrays handed out are rebuilt only after their kind changed.
 */
export class NamespaceView {
  private links: Link[];
  private addresses: Address[];
  private readonly routes = new Map<string, Route>();
  private readonly neighbors = new Map<string, Neighbor>();
  private readonly fdb = new Map<string, FdbEntry>();
  private nat: NamespaceState["nat"];
  private filter: NamespaceState["filter"];
  private built?: NamespaceState;

  constructor(
    /** The namespace's file, for reading it again. */
    readonly enterPath: string,
    /** Its links by ifindex, by which its notifications are decoded. */
    public linkTable: LinkTable,
    state: NamespaceState,
  ) {
    this.links = state.links;
    this.addresses = state.addresses;
    this.fill(state);
    this.nat = state.nat;
    this.filter = state.filter;
    this.built = state;
  }

  private fill(state: Pick<NamespaceState, "routes" | "neighbors" | "fdb">): void {
    this.routes.clear();
    this.neighbors.clear();
    this.fdb.clear();
    for (const r of state.routes) this.routes.set(routeIdentity.key(r), r);
    for (const n of state.neighbors) this.neighbors.set(neighborIdentity.key(n), n);
    for (const e of state.fdb) this.fdb.set(fdbIdentity.key(e), e);
  }

  /** The state as a snapshot shows it (the same object until something changes). */
  state(): NamespaceState {
    const built = this.built ?? { links: this.links, addresses: this.addresses, routes: [...this.routes.values()], neighbors: [...this.neighbors.values()], fdb: [...this.fdb.values()], nat: this.nat, filter: this.filter };
    this.built = built;
    return built;
  }

  /** Applies one notified entry; returns the kind that changed (if any) and the events it makes (what a person would see). */
  apply(change: EntryChange, where: NetnsLabels): { kind?: KernelKind; events: NetworkChange[] } {
    const events: NetworkChange[] = [];
    let changed = false;
    const put = <T>(map: Map<string, T>, key: string, entry: T | undefined, describe: (before: T | undefined, after: T | undefined) => NetworkChange | undefined) => {
      const before = map.get(key);
      // The kernel repeats itself (a neighbour confirmed again): the same entry changes nothing.
      if (entry === undefined ? before === undefined : before !== undefined && JSON.stringify(before) === JSON.stringify(entry)) return;
      if (entry === undefined) map.delete(key);
      else map.set(key, entry);
      changed = true;
      const event = describe(before, entry);
      if (event) events.push(event);
    };
    switch (change.kind) {
      case "route": {
        const key = routeIdentity.key(change.entry);
        // A replacement on another device (or of another type) takes the old route's place: that one is gone.
        if (change.replace) for (const [other, r] of this.routes) if (other !== key && samePlace(r, change.entry)) put(this.routes, other, undefined, (before) => entryChange(routeIdentity, before, undefined, where));
        put(this.routes, key, change.removed ? undefined : change.entry, (before, after) => entryChange(routeIdentity, before, after, where));
        return this.changed(changed, "routes", events);
      }
      case "neighbor":
        put(this.neighbors, neighborIdentity.key(change.entry), change.removed ? undefined : change.entry, (before, after) => entryChange(neighborIdentity, before, after, where));
        return this.changed(changed, "neighbors", events);
      case "fdb":
        put(this.fdb, fdbIdentity.key(change.entry), change.removed ? undefined : change.entry, (before, after) => entryChange(fdbIdentity, before, after, where));
        return this.changed(changed, "fdb", events);
    }
  }

  private changed(changed: boolean, kind: KernelKind, events: NetworkChange[]): { kind?: KernelKind; events: NetworkChange[] } {
    if (!changed) return { events };
    this.built = undefined;
    return { kind, events };
  }

  /**
   * Takes what no notification tells of from a read (nft's NAT and filter rules) while
   * keeping the notified kinds: a read that notifications overtook still knows the rules
   * as they are now (an apply's nft ops come with route notifications of their own).
   */
  takeRules(state: Pick<NamespaceState, "nat" | "filter">): void {
    this.nat = state.nat;
    this.filter = state.filter;
    this.built = undefined;
  }

  /** Takes a fresh read of the namespace's kernel state (nft's part is kept). */
  replace(state: NamespaceState, linkTable: LinkTable): void {
    this.links = state.links;
    this.addresses = state.addresses;
    this.fill(state);
    this.linkTable = linkTable;
    this.built = undefined;
  }
}
