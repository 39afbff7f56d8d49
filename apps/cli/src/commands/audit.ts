import { Command } from "commander";
import { z } from "zod";
import type { Outputs } from "../../../dashboard/src/server/api/root.js";
import type { CliDeps } from "../deps.js";
import { parseFlags, WholeNumber } from "../flags.js";
import { OutputFormat, outputOption, printer } from "../output/printer.js";
import type { Column } from "../output/table.js";
import { UsageError } from "../usage-error.js";

type AuditEntry = Outputs["audit"]["list"][number];

const Instant = z.iso.datetime({ offset: true, message: "must be a date and time such as 2026-01-31T12:00:00Z" });
const Flags = z.object({
  action: z.string().max(64).optional(),
  actor: z.string().max(64).optional(),
  node: z.string().max(253).optional(),
  from: Instant.optional(),
  to: Instant.optional(),
  limit: WholeNumber(1, 10_000).default(200),
  output: OutputFormat,
});

const columns = (wide: boolean): Column<AuditEntry>[] => [
  { header: "TIME", value: (e) => e.at },
  { header: "ACTOR", value: (e) => e.actor },
  { header: "ACTION", value: (e) => e.action, style: (e) => (/failed/.test(e.action) ? "red" : undefined) },
  { header: "TARGET", value: (e) => e.target },
  ...(wide ? [{ header: "DETAIL", value: (e: AuditEntry) => (e.detail === null || e.detail === undefined ? "" : JSON.stringify(e.detail)), flex: true }] : []),
];

export function auditCommand(deps: CliDeps): Command {
  return new Command("audit")
    .description("who did what through the dashboard, newest first: sign-ins, spec changes, plans, applies, probes")
    .option("--action <action>", "only this action (apply, plan, probe, sign-in, …)")
    .option("--actor <actor>", "only this actor")
    .option("--node <name>", "only entries about this node")
    .option("--from <time>", "from this moment on (ISO 8601, e.g. 2026-01-31T12:00:00Z)")
    .option("--to <time>", "up to this moment")
    .option("--limit <n>", "at most this many entries (1-10000)", "200")
    .addOption(outputOption())
    .action(async (raw: unknown) => {
      const { output, ...filter } = parseFlags(Flags, raw);
      if (filter.from && filter.to && Date.parse(filter.from) > Date.parse(filter.to)) throw new UsageError("--from: must not be after --to");
      const entries = await deps.dashboard().ask("audit.list", (api) => api.audit.list.query(filter));
      const out = printer(deps.io, output);
      if (out.structured(entries)) return;
      if (entries.length) out.table(columns(out.wide), entries);
      else deps.io.stderr.write("no audit entries match\n");
    });
}
