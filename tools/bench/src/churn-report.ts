import type { ChurnCounts } from "./churn-driver.js";

/** Issue 16's targets for an agent under churn. */
export const CHURN_TARGETS = { routesPerSecond: 1000, namespacesPerSecond: 100, cpuPercent: 15, peakRssMb: 150, differences: 0 } as const;

/** What the churn bench measured. */
export interface ChurnResult {
  pods: number;
  counts: ChurnCounts;
  /** CPU over the churn window, % of one core. */
  agentCpuPercent: number;
  monitorCpuPercent: number;
  /** Route lines `ip monitor all-nsid` printed for the churn's routes during the window. */
  monitorRouteLines: number;
  agentPeakRssMb: number;
  /** Its RSS when the churn began (after the first read of the node and the settling). */
  agentRssBeforeMb: number;
  /** Objects the live snapshot and the full read disagree on (kernelDifferences). */
  differences: string[];
  drift: number;
  overflows: number;
}

interface Row {
  label: string;
  value: string;
  target?: string;
  met?: boolean;
}

const perSecond = (n: number, ms: number) => (n * 1000) / ms;

/** The rows of the report, each target judged (rates within 5% of theirs: a run on a busy machine drifts a little). */
export function churnRows(r: ChurnResult): Row[] {
  const routeRate = perSecond(r.counts.routeChanges, r.counts.windowMs);
  const nsRate = perSecond(r.counts.namespaceChanges, r.counts.windowMs);
  const ratio = r.monitorCpuPercent > 0 ? `${(r.agentCpuPercent / r.monitorCpuPercent).toFixed(2)}x` : "n/a (ip monitor used no measurable CPU)";
  return [
    { label: "route changes / s (made by ip -batch)", value: routeRate.toFixed(0), target: `${CHURN_TARGETS.routesPerSecond}`, met: routeRate >= CHURN_TARGETS.routesPerSecond * 0.95 },
    { label: "  of them printed by ip monitor / s", value: perSecond(r.monitorRouteLines, r.counts.windowMs).toFixed(0) },
    { label: "namespace changes / s (adds + deletes)", value: nsRate.toFixed(0), target: `${CHURN_TARGETS.namespacesPerSecond}`, met: nsRate >= CHURN_TARGETS.namespacesPerSecond * 0.95 },
    { label: "ip commands failed", value: `${r.counts.failed.count}`, target: "0", met: r.counts.failed.count === 0 },
    { label: "ip -batch drain after the window, ms", value: r.counts.drainMs.toFixed(0) },
    { label: "ip monitor all-nsid CPU, % of a core (baseline)", value: r.monitorCpuPercent.toFixed(1) },
    { label: "agent CPU, % of one core", value: r.agentCpuPercent.toFixed(1), target: `< ${CHURN_TARGETS.cpuPercent}`, met: r.agentCpuPercent < CHURN_TARGETS.cpuPercent },
    { label: "  ratio agent / ip monitor", value: ratio },
    { label: "agent RSS when the churn began, MB", value: r.agentRssBeforeMb.toFixed(1) },
    { label: "agent peak RSS (VmHWM), MB", value: r.agentPeakRssMb.toFixed(1), target: `< ${CHURN_TARGETS.peakRssMb}`, met: r.agentPeakRssMb < CHURN_TARGETS.peakRssMb },
    { label: "objects differing, live snapshot vs full read", value: `${r.differences.length}`, target: `${CHURN_TARGETS.differences}`, met: r.differences.length === CHURN_TARGETS.differences },
    { label: "netatlas_live_drift_entries_total", value: `${r.drift}` },
    { label: "netatlas_notification_overflows_total", value: `${r.overflows}` },
  ];
}

/** Every judged row met its target. */
export const churnMet = (r: ChurnResult) => churnRows(r).every((row) => row.met !== false);

/** The report as a table, with the first differing objects and failed commands under it. */
export function formatChurnReport(r: ChurnResult): string {
  const rows = churnRows(r);
  const width = Math.max(...rows.map((row) => row.label.length));
  const lines = rows.map((row) => `  ${row.label.padEnd(width)}  ${row.value.padStart(8)}${row.target === undefined ? "" : `  target ${row.target.padEnd(5)} ${row.met ? "PASS" : "FAIL"}`}`);
  const title = `churn on a node of ${r.pods} pods for ${(r.counts.windowMs / 1000).toFixed(1)} s (issue 16's targets)`;
  const details = [...r.differences.slice(0, 10).map((d) => `  differs: ${d}`), ...r.counts.failed.messages.map((m) => `  ip said: ${m}`)];
  const judged = rows.filter((row) => row.met !== undefined);
  const missed = judged.filter((row) => !row.met).length;
  return [title, ...lines, ...details, missed === 0 ? `PASS: all ${judged.length} targets met` : `FAIL: ${missed} of ${judged.length} targets missed`].join("\n");
}
