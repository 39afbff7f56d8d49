import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { run } from "@netatlas/linux";

const ISOLATED = "NETATLAS_BENCH_ISOLATED";

/**
 * Runs the benchmark in a private mount namespace with its own empty /run/netns:
 * the agent then sees only the benchmark's namespaces, and if the process dies the
 * bind mounts (and with them the namespaces) go with it. Returns false in the
 * parent, which has already waited for the isolated child and set the exit code.
 */
export async function ensureIsolated(): Promise<boolean> {
  if (process.env[ISOLATED] === "1") {
    mkdirSync("/run/netns", { recursive: true });
    await run(["mount", "-t", "tmpfs", "-o", "size=1m", "netatlas-bench", "/run/netns"]);
    return true;
  }
  const child = spawnSync("unshare", ["--mount", "--propagation", "private", "--", process.execPath, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, [ISOLATED]: "1" },
  });
  if (child.error) throw new Error(`cannot start the benchmark in its own mount namespace (unshare): ${child.error.message}`);
  process.exitCode = child.status ?? 1;
  return false;
}
