import type { Route } from "../../model/route.js";
import { cidrSize, ipToBigInt, nthAddress, parseCidr } from "../../net/cidr.js";
import { RouteTable } from "../../trace/route-table.js";
import type { InferredFabric } from "../inferred/inferred-fabric.js";

/** A subnet one node delivers to its pods or containers, which the other nodes must route to it. */
export interface OwnedSubnet {
  cidr: string;
  node: string;
  kind: "pod" | "docker";
  /** "node2's pods (10.244.1.0/24, inferred from cni0 10.244.1.1/24)". */
  label: string;
  /** The address a route lookup for it stands on: its first host address (a bridge's own, usually). */
  probe: string;
}

function firstHost(cidr: string): string {
  const parsed = parseCidr(cidr);
  return nthAddress(parsed, parsed.prefixLength >= (parsed.family === 4 ? 31 : 127) ? 0n : 1n).toString();
}

interface Ranged {
  subnet: OwnedSubnet;
  family: 4 | 6;
  first: bigint;
  last: bigint;
}

function ranged(subnet: Omit<OwnedSubnet, "probe">): Ranged {
  const c = parseCidr(subnet.cidr);
  const first = ipToBigInt(c.network);
  return { subnet: { ...subnet, probe: firstHost(subnet.cidr) }, family: c.family, first, last: first + cidrSize(c) - 1n };
}

/** Pairs of ranges that overlap, from a sweep over them sorted by first address (prefixes nest or are apart). */
function overlappingPairs(sorted: readonly Ranged[]): Array<[Ranged, Ranged]> {
  const pairs: Array<[Ranged, Ranged]> = [];
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]!;
    for (let j = i + 1; j < sorted.length && sorted[j]!.family === a.family && sorted[j]!.first <= a.last; j++) pairs.push([a, sorted[j]!]);
  }
  return pairs;
}

const byAddress = (x: Ranged, y: Ranged) => x.family - y.family || (x.first < y.first ? -1 : x.first > y.first ? 1 : x.last > y.last ? -1 : 1);

/**
 * The subnets that belong to exactly one node: every pod subnet no other node
 * also claims, and the Docker subnets no other host has (every docker0 is
 * 172.17.0.0/16 until `bip` moves it; a shared one is reported as such).
 * Found by address with the trace's own longest-prefix match.
 */
export class OwnedSubnets {
  readonly all: OwnedSubnet[] = [];
  /** Pod subnets (or a pod subnet and a Docker one) that two nodes claim: neither can be routed to. */
  readonly contested: Array<{ a: OwnedSubnet; b: OwnedSubnet }> = [];
  private readonly sorted: Ranged[];
  private readonly shared: Ranged[];
  private readonly tables: Record<4 | 6, RouteTable>;
  private readonly byRoute = new Map<Route, OwnedSubnet>();

  constructor(fabric: InferredFabric) {
    const candidates = fabric.nodes.flatMap((n) => [
      ...n.podSubnets.map((s) => ranged({ cidr: s.cidr, node: n.node, kind: "pod", label: `${n.node}'s pods (${s.cidr}, ${s.evidence})` })),
      ...n.dockerSubnets.map((s) => ranged({ cidr: s.cidr, node: n.node, kind: "docker", label: `${n.node}'s Docker network ${s.network} (${s.cidr})` })),
    ]);
    const shared = new Set<Ranged>();
    for (const [a, b] of overlappingPairs([...candidates].sort(byAddress))) {
      if (a.subnet.node === b.subnet.node) continue;
      shared.add(a).add(b);
      if (a.subnet.kind === "pod" || b.subnet.kind === "pod") this.contested.push({ a: a.subnet, b: b.subnet });
    }
    this.sorted = candidates.filter((c) => !shared.has(c)).sort(byAddress);
    this.shared = [...shared];
    const routes: Record<4 | 6, Route[]> = { 4: [], 6: [] };
    for (const c of this.sorted) {
      this.all.push(c.subnet);
      const route: Route = { netns: 0, family: c.family, table: "main", type: "unicast", dst: c.subnet.cidr, protocol: "static", scope: "global", flags: [] };
      routes[c.family].push(route);
      this.byRoute.set(route, c.subnet);
    }
    this.tables = { 4: new RouteTable(4, routes[4]), 6: new RouteTable(6, routes[6]) };
  }

  /** The owned subnet an address is in, if any. */
  of(ip: string): OwnedSubnet | undefined {
    const route = this.tables[ip.includes(":") ? 6 : 4].lookup(ip);
    return route && this.byRoute.get(route);
  }

  /** Every owned subnet that overlaps `cidr`: those that contain it, and those inside it. */
  overlapping(cidr: string): OwnedSubnet[] {
    const c = ranged({ cidr, node: "", kind: "pod", label: "" });
    const containing = this.tables[c.family].matches(c.first).flatMap((r) => this.byRoute.get(r) ?? []);
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (byAddress(this.sorted[mid]!, c) < 0) lo = mid + 1;
      else hi = mid;
    }
    const inside: OwnedSubnet[] = [];
    for (let i = lo; i < this.sorted.length && this.sorted[i]!.family === c.family && this.sorted[i]!.first <= c.last; i++) inside.push(this.sorted[i]!.subnet);
    return [...new Set([...containing, ...inside])];
  }

  /** Whether any node claims part of `cidr`, alone or shared with another (a docker0 on every host). */
  claimed(cidr: string): boolean {
    const c = ranged({ cidr, node: "", kind: "pod", label: "" });
    return this.overlapping(cidr).length > 0 || this.shared.some((s) => s.family === c.family && s.first <= c.last && c.first <= s.last);
  }
}
