import { describe, expect, it } from "vitest";
import { churnMet, formatChurnReport, type ChurnResult } from "./churn-report.js";

const good: ChurnResult = {
  pods: 110,
  counts: { windowMs: 30_000, routeChanges: 30_000, namespaceChanges: 2_990, drainMs: 12, failed: { count: 0, messages: [] } },
  agentCpuPercent: 9.5,
  monitorCpuPercent: 3.8,
  monitorRouteLines: 29_990,
  agentPeakRssMb: 120,
  agentRssBeforeMb: 90,
  differences: [],
  drift: 0,
  overflows: 0,
};

describe("the churn report", () => {
  it("passes a run that met every target, and prints the ratio to ip monitor", () => {
    expect(churnMet(good)).toBe(true);
    const text = formatChurnReport(good);
    expect(text).toMatch(/ratio agent \/ ip monitor\s+2\.50x/);
    expect(text).toMatch(/PASS: all 6 targets met$/);
  });

  it.each([
    ["CPU at the target", { agentCpuPercent: 15 }],
    ["RSS over it", { agentPeakRssMb: 150.1 }],
    ["one object differing", { differences: ["read routes {}"] }],
    ["a route rate short of 95% of the target", { counts: { ...good.counts, routeChanges: 28_000 } }],
    ["a failed ip command", { counts: { ...good.counts, failed: { count: 1, messages: ["RTNETLINK answers: File exists"] } } }],
  ])("fails a run with %s, and says which row", (_, change) => {
    const run = { ...good, ...change };
    expect(churnMet(run)).toBe(false);
    expect(formatChurnReport(run)).toMatch(/FAIL\n(.|\n)*FAIL: 1 of 6 targets missed$/);
  });
});
