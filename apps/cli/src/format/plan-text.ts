import { describeOp } from "@netatlas/core";
import type { Outputs } from "../../../dashboard/src/server/api/root.js";
import type { Printer } from "../output/printer.js";
import type { Column } from "../output/table.js";

export type PlanSet = Outputs["reconcile"]["plans"];
type PlanEntry = PlanSet["nodes"][number];
type Op = NonNullable<PlanEntry["plan"]>["ops"][number];

const STATUS_STYLE = { planned: "green", unreachable: "red", excluded: "yellow" } as const;

const entryColumns = (wide: boolean): Column<PlanEntry>[] => [
  { header: "NODE", value: (e) => e.node },
  { header: "STATUS", value: (e) => e.status, style: (e) => STATUS_STYLE[e.status] },
  { header: "OPS", value: (e) => (e.plan ? String(e.plan.ops.length) : "-"), right: true },
  { header: "CONFLICTS", value: (e) => (e.plan ? String(e.plan.conflicts.length) : "-"), right: true, style: (e) => (e.plan?.conflicts.length ? "yellow" : undefined) },
  ...(wide ? [{ header: "HASH", value: (e: PlanEntry) => e.plan?.hash ?? "-" }] : []),
  { header: "ERROR", value: (e) => e.error ?? "", style: () => "red", flex: true },
];

/** An op as `ip` (or docker, nft) would say it; wide adds why. Disruptive ones stand out. */
export function opLine(out: Printer, op: Op): string {
  const text = describeOp(op);
  const line = "disruptive" in op && op.disruptive ? out.paint("red", text) : text;
  return out.wide ? `${line}  ${out.paint("dim", `# ${op.reason}`)}` : line;
}

/** The entries of a plan set, then every node's ops and conflicts: what a person reviews before an apply. */
export function printPlanEntries(out: Printer, entries: readonly PlanEntry[]): void {
  out.table(entryColumns(out.wide), entries);
  for (const e of entries) {
    if (!e.plan || (!e.plan.ops.length && !e.plan.conflicts.length)) continue;
    out.line();
    out.line(out.paint("bold", `${e.node}:`));
    for (const op of e.plan.ops) out.line(`  ${opLine(out, op)}`);
    for (const c of e.plan.conflicts) out.line(`  ${out.paint("yellow", `conflict (not touched): ${c}`)}`);
  }
}

export function planSetTitle(set: PlanSet): string {
  const what = set.kind === "repair" ? "repair plan" : `plan for spec version ${set.specVersion ?? "?"}`;
  return `plan set ${set.id}: ${what}, made by ${set.author} at ${set.createdAt}`;
}
