import { rmSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { run } from "@netatlas/linux";
import { removeCgroups } from "./cgroups.js";
import { dockerCgroupParent } from "./docker-daemon.js";
import { isAlive, launchersInto, markedProcesses } from "./processes.js";
import { loadState } from "./state.js";

export interface DownResult {
  killed: number[];
  removedUnderlay: boolean;
}

/**
 * Removes a lab, whole or half-built: ends the processes it started (found in
 * its state and by the marker in their arguments, by PID), which takes each
 * node's namespaces, mounts, dockerd, containerd and containers with them, then
 * the cgroups its dockerds made, the underlay and the run directory (with
 * Docker's data roots).
 * Running it twice is harmless.
 */
export async function down(prefix: string, runDir: string, log: (message: string) => void): Promise<DownResult> {
  let state;
  try {
    state = loadState(runDir);
  } catch (error) {
    log(`state in ${runDir} is unreadable (${error instanceof Error ? error.message : String(error)}); cleaning up by marker`);
  }
  // Only processes that carry this lab's marker: a recorded PID may have been reused by now.
  const ours = new Set(markedProcesses(prefix));
  const recorded = [...(state?.nodes.flatMap((n) => [n.pid, n.unsharePid]) ?? []), ...(state?.extraPids ?? [])].filter((p): p is number => p !== undefined);
  const nodePids = new Set([...(state?.nodes.map((n) => n.pid) ?? []), ...ours].filter((p): p is number => p !== undefined));
  const killed = [...new Set([...recorded.filter((p) => ours.has(p)), ...ours, ...launchersInto(nodePids)])];
  for (const pid of killed) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + 5_000;
  while (killed.some(isAlive) && Date.now() < deadline) await sleep(20);
  if (killed.length) log(`ended ${killed.length} processes`);
  const cgroups = await removeCgroups(dockerCgroupParent(prefix, ""));
  if (cgroups.length) log(`could not remove these cgroups (processes still in them?): ${cgroups.join(", ")}`);
  const underlay = state?.underlay.netns ?? `${prefix}-underlay`;
  const removedUnderlay = await run(["ip", "netns", "delete", underlay]).then(
    () => true,
    () => false,
  );
  if (removedUnderlay) log(`removed ${underlay}`);
  rmSync(runDir, { recursive: true, force: true });
  return { killed, removedUnderlay };
}
