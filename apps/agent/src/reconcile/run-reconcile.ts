import { readFile } from "node:fs/promises";
import { NodeIntent } from "@netatlas/core";
import { PlanOutdatedError } from "@netatlas/agent-api";
import { snapshotNode } from "@netatlas/linux";
import { pino } from "pino";
import type { ReconcileFlags } from "../commands/reconcile.js";
import { formatApplyResult, formatPlan } from "../format/plan-text.js";
import { UsageError } from "../usage-error.js";
import { Reconciler } from "./reconciler.js";
import { StateStore } from "./state-store.js";

async function readIntent(file: string): Promise<NodeIntent> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new UsageError(`--intent ${file}: ${(error as Error).message}`);
  }
  const parsed = NodeIntent.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`--intent ${file}: ${issue?.path.join(".") || "(top level)"}: ${issue?.message}`);
  }
  return parsed.data;
}

function reconciler(flags: ReconcileFlags): Reconciler {
  // Only the host namespace's links, routes and nft table matter to a plan; pods' NAT need not be read.
  return new Reconciler({ store: new StateStore(flags.stateDir), snapshot: () => snapshotNode({ nft: "host" }), log: pino({ level: "warn" }, process.stderr) });
}

export async function runPlan(flags: ReconcileFlags): Promise<void> {
  const plan = await reconciler(flags).plan(await readIntent(flags.intent));
  process.stdout.write(flags.json ? `${JSON.stringify(plan, null, 2)}\n` : `${formatPlan(plan)}apply it with: netatlas-agent apply --intent ${flags.intent} --plan-hash ${plan.hash}\n`);
}

export async function runApply(flags: ReconcileFlags): Promise<void> {
  const intent = await readIntent(flags.intent);
  const r = reconciler(flags);
  await r.start();
  const plan = await r.plan(intent);
  if (!flags.planHash) {
    process.stdout.write(flags.json ? `${JSON.stringify({ dryRun: true, plan }, null, 2)}\n` : `${formatPlan(plan)}dry run: nothing changed. To apply, review the plan and pass --plan-hash ${plan.hash}\n`);
    return;
  }
  if (plan.hash !== flags.planHash) throw new PlanOutdatedError(`the node changed since plan ${flags.planHash.slice(0, 12)}… was made; review the new plan (hash ${plan.hash}) and apply that`);
  const result = await r.apply(plan.hash, { allowDisruptive: flags.allowDisruptive === true });
  process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : formatApplyResult(result));
  if (result.results.some((x) => x.status !== "applied")) process.exitCode = 1;
}
