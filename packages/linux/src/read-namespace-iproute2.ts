import { nftTextNeeded, parseNamespaceJson } from "@netatlas/core";
import { statSync } from "node:fs";
import { run } from "./exec.js";
import type { KernelRead } from "./kernel-read.js";
import { GREP_NET_SYSCTLS, parseNetSysctls, sysctlLinesOfGrep } from "./net-sysctls.js";

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

/**
 * Reads one namespace (whose id is `netns`) with iproute2 processes: the portable reader,
 * used when the netlink addon is not built. Their JSON enters the model through core's
 * iproute2 adapter, which checks every entry.
 */
export async function readNamespaceIproute2(path: string, netns: number, timeoutMs = 5_000): Promise<KernelRead> {
  const [batch, routes6, fdb, forward, sysctls] = await Promise.all([
    run(nsenter(path, ["ip", "-j", "-d", "-batch", "-"]), { input: BATCH, timeoutMs }),
    run(nsenter(path, ["ip", "-6", "-j", "-d", "route", "show", "table", "all"]), { timeoutMs }),
    run(nsenter(path, ["bridge", "-j", "fdb", "show"]), { timeoutMs }),
    run(nsenter(path, ["cat", "/proc/sys/net/ipv4/ip_forward"]), { timeoutMs }).catch(() => undefined),
    // /proc/sys/net shows the namespace of the process that reads it: grep runs inside. Exit 2: a file vanished (an interface went away).
    run(nsenter(path, GREP_NET_SYSCTLS), { timeoutMs, okCodes: [0, 1, 2] }).catch(() => undefined),
  ]);
  const [links, addrs, routes, neighs] = splitJsonArrays(batch.stdout);
  const first = (text: string) => splitJsonArrays(text)[0] ?? [];
  const filterSysctls = sysctls ? parseNetSysctls(sysctlLinesOfGrep(sysctls.stdout)) : {};
  return {
    state: parseNamespaceJson({ links, addrs, routes, routes6: first(routes6.stdout), neighs, fdb: first(fdb.stdout) }, netns),
    sysctls: forward ? { ipForward: forward.stdout.trim() === "1", ...filterSysctls } : filterSysctls,
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

/** The NAT and filter rules need nft, which has no netlink reader here: one process, for the namespaces that ask for it. */
export async function readNftRuleset(path: string, timeoutMs = 5_000): Promise<unknown> {
  const argv = ["nft", "-j", "list", "ruleset"];
  const out = await run(isOwnNamespace(path) ? argv : nsenter(path, argv), { timeoutMs });
  return splitJsonArrays(out.stdout)[0] ?? null;
}

/**
 * The ruleset's JSON and, when the JSON leaves something out (iptables-nft's xt matches,
 * such as Docker's conntrack rules; a netdev chain's device), `nft -a list ruleset` as
 * text, which says it: a second nft process only on the hosts that need it.
 */
export async function readNftRulesetWithText(path: string, timeoutMs = 5_000): Promise<{ nft: unknown; nftText?: string }> {
  const nft = await readNftRuleset(path, timeoutMs);
  if (!nftTextNeeded(nft)) return { nft };
  const argv = ["nft", "-a", "list", "ruleset"];
  const out = await run(isOwnNamespace(path) ? argv : nsenter(path, argv), { timeoutMs });
  return { nft, nftText: out.stdout };
}
