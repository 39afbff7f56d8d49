import { readdirSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { parseProcessStat } from "./process-usage.js";

/** CPU time (user + system, ms) of every process in process group `pgid`, from /proc/<pid>/stat. */
function groupCpuMs(pgid: number): number {
  let ms = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // the process ended while we listed /proc
    }
    const { pgrp, cpuMs } = parseProcessStat(stat);
    if (pgrp === pgid) ms += cpuMs;
  }
  return ms;
}

/**
 * Waits until process group `pgid` used under `busyFraction` of one CPU over
 * a whole `windowMs`: after a poll round the dashboard still stores snapshots,
 * and a measurement taken meanwhile would time that work too.
 */
export async function waitUntilIdle(pgid: number, { windowMs = 2_000, busyFraction = 0.1, timeoutMs = 300_000 } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = groupCpuMs(pgid);
  for (;;) {
    await sleep(windowMs);
    const now = groupCpuMs(pgid);
    if (now - last < windowMs * busyFraction) return;
    if (Date.now() > deadline) throw new Error(`the dashboard (process group ${pgid}) was still busy after ${timeoutMs} ms (${Math.round(now - last)} ms CPU in the last ${windowMs} ms)`);
    last = now;
  }
}
