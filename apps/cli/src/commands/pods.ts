import { Command } from "commander";
import { z } from "zod";
import type { Outputs } from "../../../dashboard/src/server/api/root.js";
import type { CliDeps } from "../deps.js";
import { parseFlags } from "../flags.js";
import { OutputFormat, outputOption, printer } from "../output/printer.js";
import type { Column } from "../output/table.js";
import { NodeName } from "./node-name.js";

type FleetPod = Outputs["fleet"]["pods"][number];

const Flags = z.object({ node: NodeName.optional(), output: OutputFormat });

const columns = (wide: boolean): Column<FleetPod>[] => [
  { header: "NODE", value: (p) => p.node },
  { header: "NAMESPACE", value: (p) => p.namespace },
  { header: "NAME", value: (p) => p.name },
  { header: "NETWORK", value: (p) => (p.alive ? "ok" : "sandbox dead"), style: (p) => (p.alive ? "green" : "red") },
  { header: "IPS", value: (p) => p.ips.join(",") || "-", flex: true },
  ...(wide
    ? [
        { header: "NETNS", value: (p: FleetPod) => (p.netns === undefined ? "-" : String(p.netns)) },
        { header: "HOLDER-PID", value: (p: FleetPod) => (p.holderPid === undefined ? "-" : String(p.holderPid)), right: true },
        { header: "CNI-NETWORK", value: (p: FleetPod) => p.network ?? "-" },
        { header: "CONTAINERS", value: (p: FleetPod) => p.containers.map((c) => c.name).join(",") || "-", flex: true },
      ]
    : []),
];

export function podsCommand(deps: CliDeps): Command {
  return new Command("pods")
    .description("the fleet's pods: their node, addresses and whether their network holder (the pause process) lives")
    .option("--node <name>", "only this node's pods")
    .addOption(outputOption())
    .action(async (raw: unknown) => {
      const flags = parseFlags(Flags, raw);
      const pods = await deps.dashboard().ask("fleet.pods", (api) => api.fleet.pods.query(flags.node ? { node: flags.node } : undefined));
      const out = printer(deps.io, flags.output);
      if (out.structured(pods)) return;
      if (pods.length) out.table(columns(out.wide), pods);
      else deps.io.stderr.write(`no pods${flags.node ? ` on ${flags.node}` : ""}\n`);
    });
}
