import { stat } from "node:fs/promises";
import { join } from "node:path";
import { run } from "./exec.js";
import { DEFAULT_NETNS_DIR } from "./netns.js";

/**
 * What the namespace at nsPath calls each target by nsid, from `ip netns list-id` run
 * inside it. ip names an nsid only when it finds the namespace bound under /var/run/netns
 * (it asks RTM_GETNSID for each file there), so targets without such a name stay -1 and
 * their veths are paired by the ifindex heuristic. Names are matched to targets by inode.
 */
export async function readNetnsIdsIproute2(nsPath: string, targetPaths: string[], timeoutMs = 5_000): Promise<number[]> {
  const out = await run(["nsenter", `--net=${nsPath}`, "--", "ip", "-j", "netns", "list-id"], { timeoutMs });
  const entries = JSON.parse(out.stdout || "[]") as Array<{ nsid: number; name?: string }>;
  const nsidByInode = new Map<number, number>();
  for (const e of entries) {
    if (e.name === undefined) continue;
    const s = await stat(join(DEFAULT_NETNS_DIR, e.name)).catch(() => undefined); // unbound since ip looked
    if (s) nsidByInode.set(s.ino, e.nsid);
  }
  return Promise.all(targetPaths.map(async (path) => nsidByInode.get((await stat(path)).ino) ?? -1));
}
