import { describe, expect, it } from "vitest";
import { parseProcessStat, processCpuMs, processRssMb, statusFieldMb } from "./process-usage.js";

describe("parseProcessStat", () => {
  it("reads pgrp and user plus system time in ms, counting fields from the command's last parenthesis", () => {
    const stat = "4242 (node (a b) x) S 1 4200 4200 0 -1 4194560 10 0 0 0 250 37 0 0 20 0 11 0 100 1000 200 18446744073709551615";
    expect(parseProcessStat(stat)).toEqual({ pgrp: 4200, cpuMs: 2870 });
  });

  it("refuses a line that is not /proc/PID/stat, quoting it", () => {
    expect(() => parseProcessStat("no such process")).toThrow(/not a \/proc\/PID\/stat line: "no such process"/);
  });

  it("reads this very process's time, which grows as it works", () => {
    const before = processCpuMs(process.pid);
    const until = performance.now() + 60;
    while (performance.now() < until);
    expect(processCpuMs(process.pid)).toBeGreaterThan(before);
  });
});

describe("statusFieldMb", () => {
  const status = "Name:\tnode\nVmPeak:\t  1048576 kB\nVmHWM:\t   153600 kB\nVmRSS:\t   102400 kB\n";

  it("reads a size field in MB", () => {
    expect(statusFieldMb(status, "VmHWM")).toBe(150);
    expect(statusFieldMb(status, "VmRSS")).toBe(100);
  });

  it("says which field is missing", () => {
    expect(() => statusFieldMb(status, "VmSwap")).toThrow("/proc/PID/status has no VmSwap line");
  });

  it("reads this process's RSS, which peaked at least where it is now", () => {
    const now = processRssMb(process.pid, "VmRSS");
    expect(now).toBeGreaterThan(1);
    expect(processRssMb(process.pid, "VmHWM")).toBeGreaterThanOrEqual(now);
  });
});
