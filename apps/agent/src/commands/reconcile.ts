import { Command, InvalidArgumentError, Option } from "commander";

export interface ReconcileFlags {
  intent: string;
  planHash?: string;
  allowDisruptive?: boolean;
  json?: boolean;
  stateDir: string;
}

const planHash = (value: string) => {
  if (!/^[0-9a-f]{64}$/.test(value)) throw new InvalidArgumentError("--plan-hash is the 64-hex-digit hash that `netatlas-agent plan` printed");
  return value;
};

const common = (command: Command) =>
  command
    .requiredOption("--intent <file>", "the node's intent (JSON, as core's nodeIntent makes it)")
    .option("--json", "print JSON instead of text")
    .addOption(new Option("--state-dir <dir>", "where the kept intent and the apply journal live").env("NETATLAS_STATE_DIR").default("/var/lib/netatlas-agent"));

/** `plan`: what it would take to bring this node to an intent. Changes nothing. */
export function planCommand(): Command {
  return common(new Command("plan"))
    .description("show the ops that would bring this node to an intent, each with its reason, and the plan's hash (changes nothing)")
    .action(async (flags: ReconcileFlags) => (await import("../reconcile/run-reconcile.js")).runPlan(flags));
}

/** `apply`: a dry run unless given the hash of the plan that was reviewed. */
export function applyCommand(): Command {
  return common(new Command("apply"))
    .description("apply the plan for an intent; without --plan-hash only shows it (dry run)")
    .addOption(new Option("--plan-hash <hash>", "the reviewed plan's hash: refused if the node changed since").argParser(planHash))
    .option("--allow-disruptive", "also run the plan's disruptive ops (Docker networks changed under attached containers, which are disconnected and connected again)")
    .action(async (flags: ReconcileFlags) => (await import("../reconcile/run-reconcile.js")).runApply(flags));
}
