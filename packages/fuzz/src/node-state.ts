import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { run } from "@netatlas/linux";

const KERNEL_VIEWS = [
  ["ip", "-j", "link", "show"],
  ["ip", "-j", "addr", "show"],
  ["ip", "-j", "route", "show", "table", "all"],
  ["ip", "-j", "-6", "route", "show", "table", "all"],
  ["ip", "-j", "neigh", "show"],
  ["bridge", "-j", "fdb", "show"],
  ["nft", "-j", "list", "ruleset"],
];

/** Fields that change without anyone changing the node (counters, timers, a neighbour entry ageing, IPv6 duplicate address detection). */
const VOLATILE = /"(stats64|used|confirmed|updated|probes|bytes|packets|carrier_changes|carrier_up_count|carrier_down_count|operstate|state|tentative)":\s*(\{[^}]*\}|\[[^\]]*\]|"[^"]*"|\d+|true|false)/g;

/**
 * What a node's kernel holds (links, addresses, routes, neighbours, FDB, nft), in
 * one text, read through `enter` (the argv prefix that enters the node's namespace).
 */
export async function kernelState(enter: (argv: string[]) => string[]): Promise<string> {
  const views = await Promise.all(KERNEL_VIEWS.map(async (argv) => `${argv.join(" ")}\n${(await run(enter(argv))).stdout.replace(VOLATILE, "")}`));
  return views.join("\n");
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
