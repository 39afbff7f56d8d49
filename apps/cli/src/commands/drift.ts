import { Command } from "commander";
import { describeOp } from "@netatlas/core";
import { z } from "zod";
import type { Outputs } from "../../../dashboard/src/server/api/root.js";
import type { CliDeps } from "../deps.js";
import { parseFlags } from "../flags.js";
import { formatAge } from "@netatlas/core";
import { OutputFormat, outputOption, printer } from "../output/printer.js";
import type { Column } from "../output/table.js";

type DriftRow = Outputs["reconcile"]["drift"][number];

const Flags = z.object({ output: OutputFormat });

const since = (at: unknown) => (at ? formatAge(Date.now() - new Date(at as string | number | Date).getTime()) : "-");

const columns = (wide: boolean): Column<DriftRow>[] => [
  { header: "NODE", value: (r) => r.node },
  { header: "MODE", value: (r) => r.mode ?? "-" },
  { header: "INTENT", value: (r) => (r.hasIntent ? "kept" : "none") },
  { header: "DRIFT", value: (r) => (r.ops.length ? `${r.ops.length} op${r.ops.length === 1 ? "" : "s"}` : "none"), style: (r) => (r.ops.length ? "red" : r.hasIntent ? "green" : undefined) },
  { header: "SINCE", value: (r) => (r.ops.length ? since(r.firstSeenAt) : "-"), right: true },
  ...(wide ? [{ header: "CHECKED", value: (r: DriftRow) => (r.checkedAt ? `${since(r.checkedAt)} ago` : "never") }] : []),
  { header: "ERROR", value: (r) => r.error ?? "", style: () => "red", flex: true },
];

export function driftCommand(deps: CliDeps): Command {
  return new Command("drift")
    .description("each node's reconcile mode, whether its agent keeps an intent, and what drifted from it since")
    .addOption(outputOption())
    .action(async (raw: unknown) => {
      const flags = parseFlags(Flags, raw);
      const rows = await deps.dashboard().ask("reconcile.drift", (api) => api.reconcile.drift.query());
      const out = printer(deps.io, flags.output);
      if (out.structured(rows)) return;
      out.table(columns(out.wide), rows);
      for (const r of rows.filter((row) => row.ops.length)) {
        out.line();
        out.line(out.paint("bold", `${r.node} drifted; a repair would run:`));
        for (const op of r.ops) out.line(`  ${describeOp(op)}`);
      }
      if (rows.some((r) => r.ops.length)) out.line(`\nrepair with: netatlas plan --repair NODE, then netatlas apply --plan-set ID`);
    });
}
