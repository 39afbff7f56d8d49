import { Command } from "commander";
import { z } from "zod";
import type { CliDeps } from "../deps.js";
import { MissingProcedureError } from "../dashboard/dashboard-error.js";
import { Reachability, type ReachabilityCell } from "../dashboard/reachability.js";
import { parseFlags } from "../flags.js";
import type { Style } from "../output/paint.js";
import { OutputFormat, outputOption, printer } from "../output/printer.js";
import type { Column } from "../output/table.js";

const PATH = "fleet.reachability";
const Flags = z.object({ output: OutputFormat });

const MARK: Record<ReachabilityCell["state"], { text: string; style: Style }> = {
  delivered: { text: "ok", style: "green" },
  failed: { text: "FAIL", style: "red" },
  uncertain: { text: "?", style: "yellow" },
  "no-endpoint": { text: "-", style: "dim" },
};

/** One row per source node, one column per destination node. */
function grid(matrix: Reachability): { columns: Column<string>[]; rows: string[] } {
  const cell = new Map(matrix.cells.map((c) => [`${c.from}\0${c.to}`, c]));
  const at = (from: string, to: string) => cell.get(`${from}\0${to}`);
  return {
    rows: matrix.nodes,
    columns: [
      { header: "FROM \\ TO", value: (from) => from },
      ...matrix.nodes.map((to) => ({ header: to, value: (from: string) => MARK[at(from, to)?.state ?? "no-endpoint"].text, style: (from: string) => MARK[at(from, to)?.state ?? "no-endpoint"].style })),
    ],
  };
}

const cellColumns: Column<ReachabilityCell>[] = [
  { header: "FROM", value: (c) => c.from },
  { header: "TO", value: (c) => c.to },
  { header: "STATE", value: (c) => c.state, style: (c) => MARK[c.state].style },
  { header: "VERDICT", value: (c) => c.verdict ?? "-" },
  { header: "MESSAGE", value: (c) => c.message, flex: true },
];

export function matrixCommand(deps: CliDeps): Command {
  return new Command("matrix")
    .description("which nodes' pods reach which: the fleet's reachability matrix (wide: every pair with its verdict)")
    .addOption(outputOption())
    .action(async (raw: unknown) => {
      const flags = parseFlags(Flags, raw);
      let answer: unknown;
      try {
        answer = await deps.dashboard().askUntyped(PATH, "query");
      } catch (error) {
        if (error instanceof MissingProcedureError) throw new Error("this dashboard is older than the reachability matrix (no fleet.reachability procedure); upgrade it, or use netatlas trace for one pair");
        throw error;
      }
      const checked = Reachability.safeParse(answer);
      if (!checked.success) {
        const issue = checked.error.issues[0] as z.core.$ZodIssue;
        throw new Error(`the dashboard's ${PATH} answer is not what this CLI understands: ${issue.path.join(".") || "answer"}: ${issue.message}; are the CLI and the dashboard the same netatlas version?`);
      }
      const matrix = checked.data;
      const out = printer(deps.io, flags.output);
      if (out.structured(matrix)) return;
      if (out.wide) return out.table(cellColumns, matrix.cells);
      const { columns, rows } = grid(matrix);
      out.table(columns, rows);
      const bad = matrix.cells.filter((c) => c.state === "failed" || c.state === "uncertain");
      if (bad.length) out.line();
      for (const c of bad) out.line(`${c.from} -> ${c.to}: ${out.paint(MARK[c.state].style, c.state)}: ${c.message}`);
    });
}
