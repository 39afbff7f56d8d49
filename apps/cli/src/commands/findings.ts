import { Command, Option } from "commander";
import { Severity } from "@netatlas/core";
import { z } from "zod";
import type { Outputs } from "../../../dashboard/src/server/api/root.js";
import type { CliDeps } from "../deps.js";
import { parseFlags } from "../flags.js";
import { OutputFormat, outputOption, printer } from "../output/printer.js";
import type { Style } from "../output/paint.js";
import type { Column } from "../output/table.js";
import { NodeName } from "./node-name.js";

type FleetFinding = Outputs["fleet"]["findings"][number]["items"][number];

/** info < warning < error < critical, as core orders them. */
const rank = (s: Severity) => Severity.options.indexOf(s);
export const atLeast = (floor: Severity) => (f: { severity: Severity }) => rank(f.severity) >= rank(floor);

export const SEVERITY_STYLE: Record<Severity, Style | undefined> = { critical: "red", error: "red", warning: "yellow", info: "dim" };

const Flags = z.object({ node: NodeName.optional(), severity: Severity.optional(), failOn: Severity.optional(), output: OutputFormat });

const columns = (wide: boolean): Column<FleetFinding>[] => [
  { header: "NODE", value: (f) => f.node },
  { header: "SEVERITY", value: (f) => f.severity, style: (f) => SEVERITY_STYLE[f.severity] },
  { header: "CODE", value: (f) => f.code },
  ...(wide
    ? [
        { header: "FIRST-SEEN", value: (f: FleetFinding) => (f.firstSeenAt ? new Date(f.firstSeenAt).toISOString() : "-") },
        { header: "SUBJECTS", value: (f: FleetFinding) => f.subjects.join(","), flex: true },
        { header: "FIX", value: (f: FleetFinding) => f.fix ?? "", flex: true },
      ]
    : []),
  { header: "MESSAGE", value: (f) => f.message, flex: true },
];

export function findingsCommand(deps: CliDeps): Command {
  const severities = Severity.options;
  return new Command("findings")
    .description("what is wrong in the fleet, worst first: CIDR overlaps, missing routes, MTU mismatches, dead pods, leaked namespaces…")
    .option("--node <name>", "only this node's findings")
    .addOption(new Option("--severity <level>", "only findings of this severity or worse").choices(severities))
    .addOption(new Option("--fail-on <level>", "exit 1 when a finding shown is of this severity or worse (for scripts and CI)").choices(severities))
    .addOption(outputOption())
    .action(async (raw: unknown) => {
      const flags = parseFlags(Flags, raw);
      const groups = await deps.dashboard().ask("fleet.findings", (api) => api.fleet.findings.query(flags.node ? { node: flags.node } : undefined));
      const shown = groups.flatMap((g) => g.items).filter(flags.severity ? atLeast(flags.severity) : () => true);
      const out = printer(deps.io, flags.output);
      if (!out.structured(shown)) {
        if (shown.length) out.table(columns(out.wide), shown);
        else deps.io.stderr.write(`no findings${flags.node ? ` on ${flags.node}` : ""}${flags.severity ? ` of severity ${flags.severity} or worse` : ""}\n`);
      }
      const failing = flags.failOn ? shown.filter(atLeast(flags.failOn)) : [];
      if (failing.length) throw new Error(`${failing.length} finding(s) of severity ${flags.failOn} or worse (--fail-on ${flags.failOn})`);
    });
}
