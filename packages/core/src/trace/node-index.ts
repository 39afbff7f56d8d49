import type { Address } from "../model/address.js";
import type { FdbEntry } from "../model/fdb.js";
import type { FilterChain, FilterRule } from "../model/filter.js";
import { FilterTables } from "../filter/tables.js";
import type { Link } from "../model/link.js";
import type { NatRule } from "../model/nat.js";
import type { Neighbor } from "../model/neighbor.js";
import { netnsLabel, type Netns } from "../model/netns.js";
import { podKey, type Pod } from "../model/pod.js";
import type { NodeSnapshot } from "../model/snapshot.js";
import { cidrContainsIp, parseIp } from "../net/cidr.js";
import { LinkIndex } from "../topology/link-index.js";
import { NatChains } from "./postrouting-nat.js";
import { NamespaceRoutes } from "./route-table.js";

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** The same address in the form the snapshot and a lookup key agree on ("::ffff:..." and zero-padded forms compressed). */
export function canonicalIp(ip: string): string {
  return parseIp(ip).toString();
}

/** One node's snapshot, indexed for the lookups a trace makes at every hop. */
export class NodeIndex {
  readonly links: LinkIndex;
  readonly host: Netns | undefined;
  private readonly namespaces: Map<number, Netns>;
  private readonly routes = new Map<number, NamespaceRoutes>();
  private readonly routesByNetns: Map<number, NodeSnapshot["routes"]>;
  private readonly addressesByNetns: Map<number, Address[]>;
  private readonly localAddresses = new Map<string, Address>();
  private readonly neighbors = new Map<string, Neighbor>();
  private readonly fdbByDevMac = new Map<string, FdbEntry>();
  private readonly natByNetns: Map<number, NatRule[]>;
  private readonly natChains = new Map<number, NatChains>();
  private readonly filterChainsByNetns: Map<number, FilterChain[]>;
  private readonly filterRulesByNetns: Map<number, FilterRule[]>;
  private readonly filterTables = new Map<number, FilterTables>();
  private readonly podByNetns = new Map<number, Pod>();
  private readonly bridgePorts: Map<string, Link[]>;

  constructor(readonly snapshot: NodeSnapshot) {
    this.links = new LinkIndex(snapshot.links);
    this.namespaces = new Map(snapshot.namespaces.map((ns) => [ns.id, ns]));
    this.host = snapshot.namespaces.find((ns) => ns.kind === "host");
    this.routesByNetns = groupBy(snapshot.routes, (r) => r.netns);
    this.addressesByNetns = groupBy(snapshot.addresses, (a) => a.netns);
    for (const a of snapshot.addresses) this.localAddresses.set(`${a.netns}/${canonicalIp(a.address)}`, a);
    for (const n of snapshot.neighbors) this.neighbors.set(`${n.netns}/${n.dev}/${canonicalIp(n.address)}`, n);
    for (const e of snapshot.fdb) this.fdbByDevMac.set(`${e.netns}/${e.dev}/${e.mac.toLowerCase()}`, e);
    this.natByNetns = groupBy(snapshot.nat, (r) => r.netns);
    this.filterChainsByNetns = groupBy(snapshot.filter?.chains ?? [], (c) => c.netns);
    this.filterRulesByNetns = groupBy(snapshot.filter?.rules ?? [], (r) => r.netns);
    for (const pod of snapshot.pods) if (pod.netns !== undefined) this.podByNetns.set(pod.netns, pod);
    this.bridgePorts = groupBy(
      snapshot.links.filter((l) => l.master !== undefined),
      (l) => `${l.netns}/${l.master}`,
    );
  }

  get name(): string {
    return this.snapshot.node;
  }

  netns(id: number): Netns | undefined {
    return this.namespaces.get(id);
  }

  /** A pod's namespace reads as the pod; any other as its first name. */
  netnsLabel(id: number): string {
    const pod = this.podByNetns.get(id);
    if (pod) return `pod ${podKey(pod)}`;
    const ns = this.namespaces.get(id);
    return ns ? netnsLabel(ns) : `netns:${id}`;
  }

  podIn(netns: number): Pod | undefined {
    return this.podByNetns.get(netns);
  }

  routesOf(netns: number): NamespaceRoutes {
    let routes = this.routes.get(netns);
    if (!routes) {
      routes = new NamespaceRoutes(this.routesByNetns.get(netns) ?? []);
      this.routes.set(netns, routes);
    }
    return routes;
  }

  addressesOf(netns: number): Address[] {
    return this.addressesByNetns.get(netns) ?? [];
  }

  /** The address when `ip` is configured on an interface of the namespace. */
  localAddress(netns: number, ip: string): Address | undefined {
    return this.localAddresses.get(`${netns}/${ip}`);
  }

  neighbor(netns: number, dev: string, ip: string): Neighbor | undefined {
    return this.neighbors.get(`${netns}/${dev}/${ip}`);
  }

  fdb(netns: number, dev: string, mac: string): FdbEntry | undefined {
    return this.fdbByDevMac.get(`${netns}/${dev}/${mac.toLowerCase()}`);
  }

  nat(netns: number): NatChains {
    let chains = this.natChains.get(netns);
    if (!chains) {
      chains = new NatChains(this.natByNetns.get(netns) ?? []);
      this.natChains.set(netns, chains);
    }
    return chains;
  }

  /**
   * The namespace's filter chains, compiled on first use; undefined when the snapshot
   * carries no filter data (schema version 1): the trace then says nothing of filters.
   */
  filter(netns: number): FilterTables | undefined {
    if (!this.snapshot.filter) return undefined;
    let tables = this.filterTables.get(netns);
    if (!tables) {
      tables = new FilterTables(this.filterChainsByNetns.get(netns) ?? [], this.filterRulesByNetns.get(netns) ?? []);
      this.filterTables.set(netns, tables);
    }
    return tables;
  }

  portsOf(bridge: Link): Link[] {
    return this.bridgePorts.get(`${bridge.netns}/${bridge.ifindex}`) ?? [];
  }

  /**
   * The address the kernel picks on `dev` as a source (inet_select_addr): one in
   * the same subnet as the next hop if there is one, else the first global one.
   */
  selectSource(netns: number, dev: string, family: 4 | 6, nextHop?: string): string | undefined {
    const candidates = this.addressesOf(netns).filter((a) => a.ifname === dev && a.family === family && a.scope !== "host" && a.scope !== "link");
    const sameSubnet = nextHop === undefined ? undefined : candidates.find((a) => cidrContainsIp(`${a.address}/${a.prefixLength}`, nextHop));
    return (sameSubnet ?? candidates[0])?.address;
  }
}
