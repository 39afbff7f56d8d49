import { Command } from "commander";
import { z } from "zod";
import type { Outputs } from "../../../dashboard/src/server/api/root.js";
import type { CliDeps } from "../deps.js";
import { parseFlags } from "../flags.js";
import { formatAge } from "@netatlas/core";
import { OutputFormat, outputOption, printer } from "../output/printer.js";
import type { Column } from "../output/table.js";

type NodeRow = Outputs["fleet"]["overview"]["rows"][number];

const STATUS_STYLE = { up: "green", stale: "yellow", down: "red" } as const;

/** "2 critical, 1 warning", worst first; "-" for none. */
export function findingCounts(counts: NodeRow["findings"]): string {
  const order = ["critical", "error", "warning", "info"] as const;
  return order.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`).join(", ") || "-";
}

const columns = (wide: boolean): Column<NodeRow>[] => [
  { header: "NAME", value: (r) => r.name },
  { header: "STATUS", value: (r) => r.status, style: (r) => STATUS_STYLE[r.status] },
  { header: "SNAPSHOT", value: (r) => (r.snapshotAgeMs === undefined ? "-" : formatAge(r.snapshotAgeMs)), right: true },
  { header: "PODS", value: (r) => (r.deadPods ? `${r.pods} (${r.deadPods} dead)` : String(r.pods)), right: true, style: (r) => (r.deadPods ? "red" : undefined) },
  { header: "CONTAINERS", value: (r) => String(r.containers), right: true },
  { header: "FINDINGS", value: (r) => findingCounts(r.findings), style: (r) => (r.findings.critical || r.findings.error ? "red" : r.findings.warning ? "yellow" : undefined) },
  ...(wide
    ? [
        { header: "KERNEL", value: (r: NodeRow) => r.kernel ?? "-", flex: true },
        { header: "NETNS", value: (r: NodeRow) => String(r.namespaces), right: true },
        { header: "DOCKER-NETWORKS", value: (r: NodeRow) => r.dockerNetworks.join(",") || "-", flex: true },
        { header: "SOURCE", value: (r: NodeRow) => r.source },
        { header: "URL", value: (r: NodeRow) => r.url, flex: true },
      ]
    : []),
  { header: "ERROR", value: (r) => r.lastError ?? "", style: () => "red", flex: true },
];

export function nodesCommand(deps: CliDeps): Command {
  return new Command("nodes")
    .description("the fleet's nodes: whether their agents answer, their pods, containers and findings")
    .addOption(outputOption())
    .action(async (raw: unknown) => {
      const flags = parseFlags(z.object({ output: OutputFormat }), raw);
      const overview = await deps.dashboard().ask("fleet.overview", (api) => api.fleet.overview.query());
      const out = printer(deps.io, flags.output);
      if (out.structured(overview.rows)) return;
      out.table(columns(out.wide), overview.rows);
    });
}
