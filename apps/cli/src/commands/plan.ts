import { Command } from "commander";
import { z } from "zod";
import type { CliDeps } from "../deps.js";
import { parseFlags } from "../flags.js";
import { planSetTitle, printPlanEntries } from "../format/plan-text.js";
import { OutputFormat, outputOption, printer } from "../output/printer.js";
import { NodeName } from "./node-name.js";

const Flags = z.object({ repair: NodeName.optional(), output: OutputFormat });

export function planCommand(deps: CliDeps): Command {
  return new Command("plan")
    .description("ask every spec node's agent what it takes to bring the node to the newest fleet spec (changes nothing; an admin's token); saved as a plan set to review and apply")
    .option("--repair <node>", "instead: plan one node back to the intent its agent keeps (the last one applied), to repair drift")
    .addOption(outputOption())
    .action(async (raw: unknown) => {
      const flags = parseFlags(Flags, raw);
      const dashboard = deps.dashboard();
      const repair = flags.repair;
      const set = repair ? await dashboard.ask("reconcile.planRepair", (api) => api.reconcile.planRepair.mutate({ node: repair })) : await dashboard.ask("reconcile.plan", (api) => api.reconcile.plan.mutate());
      const out = printer(deps.io, flags.output);
      if (out.structured(set)) return;
      out.line(planSetTitle(set));
      printPlanEntries(out, set.nodes);
      out.line();
      out.line(`review it, then: netatlas apply --plan-set ${set.id}`);
    });
}
