import type { DockerNetwork } from "../../model/docker-network.js";
import type { NodeSnapshot } from "../../model/snapshot.js";
import { cidrSize, ipToBigInt, parseCidr } from "../../net/cidr.js";
import type { FleetSpec } from "../../fabric/fleet-spec.js";

/** An IPv4 subnet of a Docker bridge network on one host. */
export interface HostSubnet {
  node: string;
  network: DockerNetwork;
  subnet: string;
}

/** The addresses a CIDR covers, as numbers: two prefixes overlap when their ranges meet. */
export interface AddressRange {
  family: 4 | 6;
  first: bigint;
  last: bigint;
}

export const rangesOverlap = (a: AddressRange, b: AddressRange): boolean => a.family === b.family && a.first <= b.last && b.first <= a.last;

/** What the fleet-wide rules need, computed once: each host's Docker subnets and who routes to whom. */
export class FleetView {
  readonly subnets: HostSubnet[];
  // The rules ask about every pair of hosts: answers per node and per (node, cidr) keep 200 hosts at milliseconds, not seconds.
  private readonly byNode = new Map<string, NodeSnapshot>();
  private readonly subnetsByNode = new Map<string, HostSubnet[]>();
  private readonly routesIntoCache = new Map<string, string[]>();
  private readonly hostRoutes = new Map<string, { range: AddressRange; text: string }[]>();
  private readonly ranges = new Map<string, AddressRange>();
  private readonly routedPairs = new Map<string, boolean>();

  constructor(readonly snapshots: readonly NodeSnapshot[], readonly spec?: FleetSpec) {
    this.subnets = snapshots.flatMap((s) =>
      s.dockerNetworks.flatMap((network) => (network.driver === "bridge" ? network.subnets.filter((x) => !x.subnet.includes(":")).map((x) => ({ node: s.node, network, subnet: x.subnet })) : [])),
    );
    for (const s of snapshots) if (!this.byNode.has(s.node)) this.byNode.set(s.node, s);
    for (const s of this.subnets) this.subnetsByNode.set(s.node, [...(this.subnetsByNode.get(s.node) ?? []), s]);
  }

  snapshotOf(node: string): NodeSnapshot | undefined {
    return this.byNode.get(node);
  }

  /** The routes of a node's host namespace (main table) that send `cidr`, or part of it, elsewhere. */
  routesInto(node: string, cidr: string): string[] {
    const key = `${node} ${cidr}`;
    const known = this.routesIntoCache.get(key);
    if (known) return known;
    const range = this.range(cidr);
    const routes = this.routesOf(node).filter((r) => rangesOverlap(r.range, range)).map((r) => r.text);
    this.routesIntoCache.set(key, routes);
    return routes;
  }

  /** A CIDR's address range, parsed once however many pairs ask. */
  range(cidr: string): AddressRange {
    let range = this.ranges.get(cidr);
    if (!range) {
      const parsed = parseCidr(cidr);
      const first = ipToBigInt(parsed.network);
      this.ranges.set(cidr, (range = { family: parsed.family, first, last: first + cidrSize(parsed) - 1n }));
    }
    return range;
  }

  /** A node's host namespace routes (main table, IPv4, not the kernel's, not default) that could send a Docker subnet elsewhere. */
  private routesOf(node: string): { range: AddressRange; text: string }[] {
    let routes = this.hostRoutes.get(node);
    if (!routes) {
      const snapshot = this.byNode.get(node);
      const host = snapshot?.namespaces.find((n) => n.kind === "host")?.id;
      routes = !snapshot || host === undefined ? [] : snapshot.routes
        .filter((r) => r.netns === host && r.table === "main" && r.type === "unicast" && r.family === 4 && r.protocol !== "kernel" && !r.dst.endsWith("/0"))
        .map((r) => ({ range: this.range(r.dst), text: `${node}: ${r.dst}${r.via ? ` via ${r.via}` : ""}${r.dev ? ` dev ${r.dev}` : ""}` }));
      this.hostRoutes.set(node, routes);
    }
    return routes;
  }

  /** Routes on either node into the other's Docker subnets: the evidence that they route to each other. */
  routesBetween(a: string, b: string): string[] {
    const mine = (node: string) => this.subnetsByNode.get(node) ?? [];
    return [...mine(b).flatMap((s) => this.routesInto(a, s.subnet)), ...mine(a).flatMap((s) => this.routesInto(b, s.subnet))];
  }

  /** Whether the spec makes both Docker hosts that route each other's subnets. */
  specRoutes(a: string, b: string): boolean {
    const docker = this.spec?.docker;
    return !!docker && docker.routing !== "none" && docker.hosts.includes(a) && docker.hosts.includes(b);
  }

  routeEachOther(a: string, b: string): boolean {
    const key = a < b ? `${a} ${b}` : `${b} ${a}`;
    let routed = this.routedPairs.get(key);
    if (routed === undefined) this.routedPairs.set(key, (routed = this.specRoutes(a, b) || this.routesBetween(a, b).length > 0));
    return routed;
  }
}
