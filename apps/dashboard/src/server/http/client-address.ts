import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { cidrContainsIp, isIp } from "@netatlas/core";

/**
 * The header that carries the TCP peer's address into route handlers. Next hands a
 * handler a Fetch `Request` with no socket, and fills X-Forwarded-For with the
 * peer only when the client sent none, so a client could name any address there.
 * This header is written over on every request from the socket itself.
 */
export const PEER_HEADER = "x-netatlas-peer";

/** An audit entry keeps at most this much of a client's address (an X-Forwarded-For can be kilobytes). */
export const CLIENT_ADDRESS_MAX = 64;

const TAGGING = Symbol.for("netatlas.dashboard.peer-tagging");
type Holder = { [TAGGING]?: true };

/**
 * Writes each HTTP request's socket address into PEER_HEADER before Next reads the
 * request (Node publishes `http.server.request.start` before it emits "request").
 * Once per process; the modules that read the header may be loaded more than once.
 */
export function tagPeerAddresses(): void {
  const holder = globalThis as Holder;
  if (holder[TAGGING]) return;
  holder[TAGGING] = true;
  subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    request.headers[PEER_HEADER] = socket.remoteAddress ?? "";
  });
}

/** `::ffff:10.0.0.1` (an IPv4 client on a dual-stack socket) as 10.0.0.1. */
function plainAddress(address: string): string {
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address) ? address.slice(7) : address;
}

const trusted = (address: string, proxies: readonly string[]) => isIp(address) && proxies.some((cidr) => cidrContainsIp(cidr, address));

/** The TCP peer as tagged by tagPeerAddresses; undefined when no server tagged this request. */
function peerAddress(headers: Headers): string | undefined {
  const peer = (globalThis as Holder)[TAGGING] ? headers.get(PEER_HEADER) : null;
  return peer ? plainAddress(peer) : undefined;
}

/** Whether the request came through one of `trustedProxies`, so that its X-Forwarded-* headers are the proxy's word. */
export function fromTrustedProxy(headers: Headers, trustedProxies: readonly string[]): boolean {
  const peer = peerAddress(headers);
  return !!peer && trusted(peer, trustedProxies);
}

/**
 * Who sent the request: the TCP peer, or, when the peer is one of `trustedProxies`,
 * the nearest address in X-Forwarded-For that is not a trusted proxy (entries further
 * left are whatever the client wrote). "unknown" when the peer is not known (no server
 * tagged it: a test calling the API directly). At most CLIENT_ADDRESS_MAX characters.
 */
export function clientAddress(headers: Headers, trustedProxies: readonly string[]): string {
  const peer = peerAddress(headers);
  if (!peer) return "unknown";
  let client = peer;
  if (trusted(client, trustedProxies)) {
    const hops = (headers.get("x-forwarded-for") ?? "").split(",").map((hop) => plainAddress(hop.trim())).filter(Boolean);
    while (hops.length && trusted(client, trustedProxies)) client = hops.pop() as string;
  }
  return client.slice(0, CLIENT_ADDRESS_MAX);
}
