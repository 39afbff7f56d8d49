import { Command } from "commander";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import type { CliDeps } from "../deps.js";
import type { Dashboard } from "../dashboard/dashboard.js";
import { parseFlags, WholeNumber } from "../flags.js";
import { printJob, progressLines, type ApplyJob } from "../format/job-text.js";
import { planSetTitle, printPlanEntries, type PlanSet } from "../format/plan-text.js";
import { confirm, type Io } from "../io.js";
import { OutputFormat, outputOption, printer } from "../output/printer.js";
import { UsageError } from "../usage-error.js";
import { NodeName } from "./node-name.js";

const Flags = z.object({
  planSet: WholeNumber(1, 2_147_483_647),
  node: z.array(NodeName).optional(),
  allowDisruptive: z.boolean().default(false),
  yes: z.boolean().default(false),
  output: OutputFormat,
});

/** The planned entries the apply takes: all of them, or the nodes named (each must have a plan in the set). */
export function chosenEntries(set: PlanSet, nodes: readonly string[] | undefined): PlanSet["nodes"] {
  const planned = set.nodes.filter((n) => n.status === "planned" && n.plan);
  if (!nodes?.length) return planned;
  return [...new Set(nodes)].map((name) => {
    const entry = planned.find((n) => n.node === name);
    if (!entry) throw new UsageError(`--node: ${name} has no plan in plan set ${set.id} (${set.nodes.find((n) => n.node === name)?.error ?? "not in it"})`);
    return entry;
  });
}

/** Asks on a terminal; without one only --yes goes on, since nobody is there to answer. */
async function confirmed(io: Io, question: string, yes: boolean): Promise<boolean> {
  if (yes) return true;
  if (!io.stdin.isTTY) throw new UsageError(`--yes: stdin is not a terminal, so nobody can confirm "${question}"; pass --yes to apply without asking`);
  return confirm(io, question);
}

/** Asks after the job until it is done, writing each node's progress to stderr. */
async function waitForJob(dashboard: Dashboard, started: ApplyJob, io: Io, pollMs: number): Promise<ApplyJob> {
  let job = started;
  for (const line of progressLines(undefined, job)) io.stderr.write(`${line}\n`);
  while (job.status === "running") {
    await sleep(pollMs);
    const before = job;
    job = await dashboard.ask("reconcile.job", (api) => api.reconcile.job.query({ id: started.id }));
    for (const line of progressLines(before, job)) io.stderr.write(`${line}\n`);
  }
  return job;
}

export function applyCommand(deps: CliDeps): Command {
  return new Command("apply")
    .description("apply a reviewed plan set to its nodes in waves, each checked by real probes (an admin's token); asks first")
    .requiredOption("--plan-set <id>", "the plan set to apply (netatlas plan prints its id)")
    .option("--node <name...>", "only these nodes of the plan set")
    .option("--allow-disruptive", "also run disruptive ops (Docker networks replaced under attached containers)")
    .option("-y, --yes", "apply without asking (for scripts; needed when stdin is not a terminal)")
    .addOption(outputOption())
    .addHelpText("after", "\nWaits for the job and exits 1 unless it succeeded.")
    .action(async (raw: unknown) => {
      const flags = parseFlags(Flags, raw);
      const dashboard = deps.dashboard();
      const set = await dashboard.ask("reconcile.plans", (api) => api.reconcile.plans.query({ id: flags.planSet }));
      const entries = chosenEntries(set, flags.node);
      if (!entries.length) throw new Error(`plan set ${set.id} has no planned node to apply (${set.nodes.map((n) => `${n.node}: ${n.status}`).join(", ") || "it is empty"})`);
      const out = printer(deps.io, flags.output);
      if (out.tabular) {
        out.line(planSetTitle(set));
        printPlanEntries(out, entries);
        out.line();
      }
      const ops = entries.reduce((sum, e) => sum + (e.plan?.ops.length ?? 0), 0);
      if (!(await confirmed(deps.io, `apply ${ops} ops on ${entries.length} node${entries.length === 1 ? "" : "s"}?`, flags.yes))) throw new Error("not applied: not confirmed");
      const started = await dashboard.ask("reconcile.startApply", (api) =>
        api.reconcile.startApply.mutate({ planSetId: set.id, ...(flags.node ? { nodes: entries.map((e) => e.node) } : {}), confirm: true, allowDisruptive: flags.allowDisruptive }),
      );
      const job = await waitForJob(dashboard, started, deps.io, deps.pollMs);
      if (!out.structured(job)) printJob(out, job);
      if (job.status !== "succeeded") throw new Error(`apply job ${job.id} ${job.status}${job.message ? `: ${job.message}` : ""}`);
    });
}
