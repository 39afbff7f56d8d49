import type { Outputs } from "../../../dashboard/src/server/api/root.js";
import type { Printer } from "../output/printer.js";
import type { Column } from "../output/table.js";

export type ApplyJob = Outputs["reconcile"]["job"];
type NodeProgress = ApplyJob["progress"]["nodes"][number];
type WaveCheck = ApplyJob["progress"]["checks"][number];

const STATE_STYLE = { waiting: "dim", applying: "yellow", applied: "green", failed: "red", stale: "red", "not-started": "dim" } as const;
const JOB_STYLE = { running: "yellow", succeeded: "green", failed: "red", stopped: "red" } as const;

const nodeColumns = (wide: boolean): Column<NodeProgress>[] => [
  { header: "NODE", value: (n) => n.node },
  { header: "WAVE", value: (n) => String(n.wave), right: true },
  { header: "STATE", value: (n) => n.state, style: (n) => STATE_STYLE[n.state] },
  { header: "OPS", value: (n) => String(n.ops), right: true },
  { header: "FAILED-OPS", value: (n) => String(n.results.filter((r) => r.status === "failed").length), right: true },
  { header: "REMAINING", value: (n) => String(n.remaining.length), right: true, style: (n) => (n.remaining.length ? "yellow" : undefined) },
  ...(wide ? [{ header: "PLAN-HASH", value: (n: NodeProgress) => n.planHash }] : []),
  { header: "ERROR", value: (n) => n.error ?? "", style: () => "red", flex: true },
];

const checkColumns: Column<WaveCheck>[] = [
  { header: "WAVE", value: (c) => String(c.wave), right: true },
  { header: "FROM", value: (c) => c.from },
  { header: "TO", value: (c) => c.to },
  { header: "TARGET", value: (c) => `${c.kind} ${c.target}` },
  { header: "RESULT", value: (c) => c.result, style: (c) => (c.result === "passed" ? "green" : c.result === "failed" ? "red" : "dim") },
  { header: "DETAIL", value: (c) => c.detail, flex: true },
];

export function printJob(out: Printer, job: ApplyJob): void {
  out.line(`apply job ${job.id} of plan set ${job.planSetId} by ${job.author}: ${out.paint(JOB_STYLE[job.status], job.status)}${job.message ? `: ${job.message}` : ""}`);
  out.table(nodeColumns(out.wide), job.progress.nodes);
  if (job.progress.checks.length) {
    out.line();
    out.line(out.paint("bold", "checks after each wave"));
    out.table(checkColumns, job.progress.checks);
  }
}

/** "node1: applied" for each node whose state moved since the last look: the progress a person watches on stderr. */
export function progressLines(before: ApplyJob | undefined, now: ApplyJob): string[] {
  const was = new Map(before?.progress.nodes.map((n) => [n.node, n.state]));
  return now.progress.nodes.filter((n) => was.get(n.node) !== n.state && n.state !== "waiting").map((n) => `${n.node}: ${n.state}${n.error ? ` (${n.error})` : ""}`);
}
