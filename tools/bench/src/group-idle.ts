import { readdirSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux architecture Node runs on

/** CPU time (user + system, ms) of every process in process group `pgid`, from /proc/<pid>/stat. */
function groupCpuMs(pgid: number): number {
  let ticks = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // the process ended while we listed /proc
    }
    // Fields after the command (which may hold spaces), from field 3 (state): pgrp is field 5, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
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
