import type { NamespaceJson } from "@netatlas/core";
import { statSync } from "node:fs";
import { run } from "./exec.js";

/** One process for link, addr, IPv4 routes and neighbours (`ip -batch` accepts no per-line -6). */
const BATCH = "link show\naddr show\nroute show table all\nneigh show\n";

/** `ip -j -batch` prints one JSON array per command, one after another. */
export function splitJsonArrays(text: string): unknown[] {
  const arrays: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "[" || c === "{") {
      if (depth++ === 0) start = i;
    } else if (c === "]" || c === "}") {
      if (--depth === 0) arrays.push(JSON.parse(text.slice(start, i + 1)));
    }
  }
  return arrays;
}

function nsenter(path: string, argv: string[]): string[] {
  return ["nsenter", `--net=${path}`, "--", ...argv];
}

export interface Iproute2Read {
  json: NamespaceJson;
  ipForward?: boolean;
}

/** Reads one namespace with iproute2 processes: the portable reader, used when the netlink addon is not built. */
export async function readNamespaceIproute2(path: string, timeoutMs = 5_000): Promise<Iproute2Read> {
  const [batch, routes6, fdb, forward] = await Promise.all([
    run(nsenter(path, ["ip", "-j", "-d", "-batch", "-"]), { input: BATCH, timeoutMs }),
    run(nsenter(path, ["ip", "-6", "-j", "-d", "route", "show", "table", "all"]), { timeoutMs }),
    run(nsenter(path, ["bridge", "-j", "fdb", "show"]), { timeoutMs }),
    run(nsenter(path, ["cat", "/proc/sys/net/ipv4/ip_forward"]), { timeoutMs }).catch(() => undefined),
  ]);
  const [links, addrs, routes, neighs] = splitJsonArrays(batch.stdout);
  const first = (text: string) => splitJsonArrays(text)[0] ?? [];
  return {
    json: { links, addrs, routes, routes6: first(routes6.stdout), neighs, fdb: first(fdb.stdout) },
    ipForward: forward ? forward.stdout.trim() === "1" : undefined,
  };
}

/** Whether path is the namespace this process is in already (no nsenter needed to read it). */
function isOwnNamespace(path: string): boolean {
  try {
    return statSync(path).ino === statSync("/proc/self/ns/net").ino;
  } catch {
    return false;
  }
}

/** The NAT rules need nft, which has no netlink reader here: one process, for the namespaces that ask for it. */
export async function readNftRuleset(path: string, timeoutMs = 5_000): Promise<unknown> {
  const argv = ["nft", "-j", "list", "ruleset"];
  const out = await run(isOwnNamespace(path) ? argv : nsenter(path, argv), { timeoutMs });
  return splitJsonArrays(out.stdout)[0] ?? null;
}
