import type { Route } from "../model/route.js";
import { ipToBigInt, parseCidr, parseIp } from "../net/cidr.js";

/** The tables an IPv4/IPv6 lookup visits with the kernel's default rules (`ip rule`: 0 local, 32766 main, 32767 default). */
export const LOOKUP_TABLES = ["local", "main", "default"] as const;

export interface RouteMatch {
  route: Route;
  table: string;
  /** Less specific routes of the same table that also contain the destination (default routes left out). */
  alsoMatched: Route[];
}

const bitsOf = (family: 4 | 6) => (family === 4 ? 32 : 128);

/**
 * One routing table of one family, indexed by prefix length: a lookup masks the
 * destination once per length present (longest first) and finds the routes of
 * that prefix in a map, so it costs the number of distinct lengths, not routes.
 */
export class RouteTable {
  private readonly byPrefix = new Map<string, Route[]>();
  private readonly lengths: number[];

  constructor(
    readonly family: 4 | 6,
    routes: readonly Route[],
  ) {
    const lengths = new Set<number>();
    for (const route of routes) {
      const cidr = parseCidr(route.dst);
      lengths.add(cidr.prefixLength);
      const key = this.key(ipToBigInt(cidr.network), cidr.prefixLength);
      const same = this.byPrefix.get(key);
      if (same) same.push(route);
      else this.byPrefix.set(key, [route]);
    }
    // Among routes of one prefix the lowest metric wins; sort is stable, so ties keep the kernel's dump order.
    for (const same of this.byPrefix.values()) same.sort((a, b) => (a.metric ?? 0) - (b.metric ?? 0));
    this.lengths = [...lengths].sort((a, b) => b - a);
  }

  private key(address: bigint, prefixLength: number): string {
    return `${prefixLength}/${address >> BigInt(bitsOf(this.family) - prefixLength)}`;
  }

  /** Every route containing `address`, longest prefix first, lowest metric first within a prefix. */
  matches(address: string | bigint): Route[] {
    const value = typeof address === "bigint" ? address : ipToBigInt(parseIp(address));
    const found: Route[] = [];
    for (const len of this.lengths) found.push(...(this.byPrefix.get(this.key(value, len)) ?? []));
    return found;
  }

  /** The longest-prefix match, or undefined. */
  lookup(address: string | bigint): Route | undefined {
    return this.matches(address)[0];
  }
}

/** The routing tables of one namespace, looked up in the kernel's default rule order. */
export class NamespaceRoutes {
  private readonly tables = new Map<string, RouteTable>();

  constructor(routes: readonly Route[]) {
    for (const family of [4, 6] as const) {
      for (const table of LOOKUP_TABLES) {
        this.tables.set(`${family}/${table}`, new RouteTable(family, routes.filter((r) => r.family === family && r.table === table)));
      }
    }
  }

  /** A `throw` route sends the lookup on to the next table, as the kernel's FIB rules do. */
  lookup(address: string): RouteMatch | undefined {
    const ip = parseIp(address);
    const family = ip.kind() === "ipv4" ? 4 : 6;
    const value = ipToBigInt(ip);
    for (const table of LOOKUP_TABLES) {
      const [route, ...rest] = this.tables.get(`${family}/${table}`)?.matches(value) ?? [];
      if (!route || route.type === "throw") continue;
      return { route, table, alsoMatched: rest.filter((r) => !r.dst.endsWith("/0")) };
    }
    return undefined;
  }
}
