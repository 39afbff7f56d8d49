import ipaddr from "ipaddr.js";

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/** A parsed CIDR: the network address (host bits cleared) and the prefix length. */
export interface Cidr {
  family: 4 | 6;
  network: IpAddress;
  prefixLength: number;
}

/**
 * Addresses and CIDRs parsed before, by their text: a trace, the fabric checks and
 * a 200-node reachability matrix look up the same few thousand addresses tens of
 * thousands of times, and ipaddr.js's parse dominated their cost. Bounded: cleared
 * when full. The parsed values are frozen, since every caller shares them.
 */
const PARSED_LIMIT = 100_000;
const parsedIps = new Map<string, IpAddress>();
const parsedCidrs = new Map<string, Cidr>();

function remember<T>(cache: Map<string, T>, key: string, value: T): T {
  if (cache.size >= PARSED_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

export function isIp(text: string): boolean {
  return parsedIps.has(text) || (ipaddr.isValid(text) && (ipaddr.IPv4.isValidFourPartDecimal(text) || text.includes(":")));
}

/** Parses an IPv4 or IPv6 address; IPv4-mapped IPv6 stays IPv6. Throws with the text it could not read. */
export function parseIp(text: string): IpAddress {
  const known = parsedIps.get(text);
  if (known) return known;
  if (!isIp(text)) throw new Error(`"${text}" is not an IP address`);
  return remember(parsedIps, text, Object.freeze(ipaddr.parse(text)));
}

export function ipFamily(text: string): 4 | 6 {
  return parseIp(text).kind() === "ipv4" ? 4 : 6;
}

function bitsOf(family: 4 | 6): number {
  return family === 4 ? 32 : 128;
}

const asNumbers = new WeakMap<IpAddress, bigint>();

export function ipToBigInt(ip: IpAddress): bigint {
  const known = asNumbers.get(ip);
  if (known !== undefined) return known;
  let value = 0n;
  for (const byte of ip.toByteArray()) value = (value << 8n) | BigInt(byte);
  if (Object.isFrozen(ip)) asNumbers.set(ip, value);
  return value;
}

export function bigIntToIp(value: bigint, family: 4 | 6): IpAddress {
  const bytes: number[] = [];
  for (let i = 0; i < bitsOf(family) / 8; i++) {
    bytes.unshift(Number(value & 0xffn));
    value >>= 8n;
  }
  return ipaddr.fromByteArray(bytes);
}

/** Parses "10.1.2.3/24" or a bare address (a host route, /32 or /128); clears host bits. */
export function parseCidr(text: string): Cidr {
  return parsedCidrs.get(text) ?? remember(parsedCidrs, text, Object.freeze(readCidr(text)));
}

function readCidr(text: string): Cidr {
  const [addr, len, ...rest] = text.split("/");
  if (addr === undefined || rest.length > 0) throw new Error(`"${text}" is not a CIDR (expected ADDRESS/PREFIX)`);
  const ip = parseIp(addr);
  const family = ip.kind() === "ipv4" ? 4 : 6;
  const max = bitsOf(family);
  const prefixLength = len === undefined ? max : Number(len);
  if (!/^\d+$/.test(len ?? String(max)) || prefixLength > max) {
    throw new Error(`"${text}" has a bad prefix length (0-${max} for IPv${family})`);
  }
  const hostBits = BigInt(max - prefixLength);
  const network = Object.freeze(bigIntToIp((ipToBigInt(ip) >> hostBits) << hostBits, family));
  return { family, network, prefixLength };
}

export function formatCidr(c: Cidr): string {
  return `${c.network.toString()}/${c.prefixLength}`;
}

/** The canonical form: host bits cleared, IPv6 compressed. */
export function normalizeCidr(text: string): string {
  return formatCidr(parseCidr(text));
}

export function cidrSize(c: Cidr): bigint {
  return 1n << BigInt(bitsOf(c.family) - c.prefixLength);
}

export function cidrContainsIp(cidr: Cidr | string, ip: string): boolean {
  const c = typeof cidr === "string" ? parseCidr(cidr) : cidr;
  const address = parseIp(ip);
  if ((address.kind() === "ipv4" ? 4 : 6) !== c.family) return false;
  const hostBits = BigInt(bitsOf(c.family) - c.prefixLength);
  return ipToBigInt(address) >> hostBits === ipToBigInt(c.network) >> hostBits;
}

/** a contains b: every address of b is in a. */
export function cidrContains(a: Cidr | string, b: Cidr | string): boolean {
  const outer = typeof a === "string" ? parseCidr(a) : a;
  const inner = typeof b === "string" ? parseCidr(b) : b;
  return outer.family === inner.family && outer.prefixLength <= inner.prefixLength && cidrContainsIp(outer, inner.network.toString());
}

/** Two CIDRs overlap when one contains the other (prefixes never partly overlap). */
export function cidrsOverlap(a: Cidr | string, b: Cidr | string): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

/** The first and last address of a CIDR. */
export function cidrRange(c: Cidr): { first: IpAddress; last: IpAddress } {
  const first = ipToBigInt(c.network);
  return { first: c.network, last: bigIntToIp(first + cidrSize(c) - 1n, c.family) };
}

/** The n-th address in a CIDR (0 is the network address). */
export function nthAddress(c: Cidr, n: bigint): IpAddress {
  if (n < 0n || n >= cidrSize(c)) throw new Error(`address #${n} is outside ${formatCidr(c)}`);
  return bigIntToIp(ipToBigInt(c.network) + n, c.family);
}

/** Splits a CIDR into consecutive subnets of a longer prefix: the index-th of them. */
export function nthSubnet(c: Cidr, prefixLength: number, index: bigint): Cidr {
  if (prefixLength < c.prefixLength || prefixLength > bitsOf(c.family)) {
    throw new Error(`cannot cut /${prefixLength} subnets out of ${formatCidr(c)}`);
  }
  const count = 1n << BigInt(prefixLength - c.prefixLength);
  if (index < 0n || index >= count) throw new Error(`subnet #${index} is outside ${formatCidr(c)} (it has ${count} /${prefixLength} subnets)`);
  const step = 1n << BigInt(bitsOf(c.family) - prefixLength);
  return { family: c.family, network: bigIntToIp(ipToBigInt(c.network) + step * index, c.family), prefixLength };
}
