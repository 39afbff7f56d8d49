import { readFileSync } from "node:fs";

/** USER_HZ: the unit of /proc/PID/stat's times, 100 on every Linux architecture Node runs on. */
const TICKS_PER_SECOND = 100;

/** A process's fields from /proc/PID/stat that the benchmarks use. */
export interface ProcessStat {
  pgrp: number;
  /** User plus system CPU time, ms. */
  cpuMs: number;
}

/**
 * Reads /proc/PID/stat's text. The command (field 2) is in parentheses and may hold
 * spaces and parentheses itself, so the fields are counted from the last ")": pgrp is
 * field 5, utime 14 and stime 15.
 */
export function parseProcessStat(text: string): ProcessStat {
  const close = text.lastIndexOf(")");
  const fields = text.slice(close + 2).trim().split(" ");
  const [pgrp, utime, stime] = [fields[2], fields[11], fields[12]].map(Number);
  if (close < 0 || !Number.isInteger(pgrp) || !Number.isInteger(utime) || !Number.isInteger(stime)) throw new Error(`not a /proc/PID/stat line: "${text.slice(0, 120)}"`);
  return { pgrp: pgrp as number, cpuMs: (((utime as number) + (stime as number)) * 1000) / TICKS_PER_SECOND };
}

/** A size field of /proc/PID/status ("VmHWM:   123456 kB"), in MB. */
export function statusFieldMb(text: string, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(text);
  if (!m) throw new Error(`/proc/PID/status has no ${field} line`);
  return Number(m[1]) / 1024;
}

/** CPU time (user + system, ms) a running process has used so far. */
export function processCpuMs(pid: number): number {
  return parseProcessStat(readFileSync(`/proc/${pid}/stat`, "utf8")).cpuMs;
}

/** The resident set of a running process, MB: now (VmRSS), or its peak so far (VmHWM). */
export function processRssMb(pid: number, which: "VmRSS" | "VmHWM"): number {
  return statusFieldMb(readFileSync(`/proc/${pid}/status`, "utf8"), which);
}
