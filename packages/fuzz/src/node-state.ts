import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { run } from "@netatlas/linux";

/**
 * What someone configured, as opposed to what traffic teaches the kernel: neighbour
 * entries are compared only when permanent, FDB entries only when static or
 * permanent (a probe's ARP and a bridge's learning are not changes to the node).
 */
const KERNEL_VIEWS: ReadonlyArray<{ argv: string[]; keep?: (entry: Record<string, unknown>) => boolean }> = [
  { argv: ["ip", "-j", "link", "show"] },
  { argv: ["ip", "-j", "addr", "show"] },
  { argv: ["ip", "-j", "route", "show", "table", "all"] },
  { argv: ["ip", "-j", "-6", "route", "show", "table", "all"] },
  { argv: ["ip", "-j", "neigh", "show", "nud", "permanent"] },
  { argv: ["bridge", "-j", "fdb", "show"], keep: (e) => e.state === "permanent" || e.state === "static" },
  { argv: ["nft", "-j", "list", "ruleset"] },
];

/** Fields that change without anyone changing the node (counters, timers, IPv6 duplicate address detection). */
const VOLATILE = new Set(["stats64", "used", "confirmed", "updated", "probes", "bytes", "packets", "carrier_changes", "carrier_up_count", "carrier_down_count", "operstate", "tentative"]);

/**
 * What a node's kernel holds (links, addresses, routes, neighbours, FDB, nft), one
 * entry a line, read through `enter` (the argv prefix that enters the node's namespace).
 */
export async function kernelState(enter: (argv: string[]) => string[]): Promise<string[]> {
  const views = await Promise.all(
    KERNEL_VIEWS.map(async ({ argv, keep }) => {
      const parsed = JSON.parse((await run(enter(argv))).stdout || "[]") as unknown;
      const entries = (Array.isArray(parsed) ? parsed : [parsed]) as Array<Record<string, unknown>>;
      return [argv.join(" "), ...entries.filter((e) => keep?.(e) ?? true).map((e) => JSON.stringify(e, (key, value: unknown) => (VOLATILE.has(key) ? undefined : value)))];
    }),
  );
  return views.flat();
}

/**
 * Waits until no address of the namespace is still in IPv6 duplicate address
 * detection: each one that finishes adds a local route, which is not a change anyone made.
 */
export async function addressesSettled(enter: (argv: string[]) => string[], timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await run(enter(["ip", "-j", "addr", "show"]))).stdout.includes('"tentative":true')) {
    if (Date.now() > deadline) throw new Error(`addresses were still tentative (IPv6 duplicate address detection) after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A digest of every file under `dir` (names, sizes and contents): the agent's state files ("absent" before it makes any). */
export async function filesDigest(dir: string): Promise<string> {
  if (!existsSync(dir)) return "absent";
  const hash = createHash("sha256");
  const walk = async (path: string): Promise<void> => {
    for (const entry of (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) hash.update(`${full}\0${(await stat(full)).size}\0`).update(await readFile(full));
    }
  };
  await walk(dir);
  return hash.digest("hex");
}

/** A process's peak resident memory (VmHWM), in bytes. */
export async function peakRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  if (!kb) throw new Error(`/proc/${pid}/status has no VmHWM: is ${pid} still running?`);
  return Number(kb) * 1024;
}
