import { Command, CommanderError } from "commander";
import { applyCommand, planCommand } from "./commands/reconcile.js";
import { schemaCommand } from "./commands/schema.js";
import { serveCommand } from "./commands/serve.js";
import { snapshotCommand } from "./commands/snapshot.js";
import { UsageError } from "./usage-error.js";
import { VERSION } from "./version.js";

export const USAGE_ERROR = 2;

export function buildCli(): Command {
  const program = new Command("netatlas-agent")
    .description("netatlas node agent: reads this node's container networks (namespaces, veths, bridges, routes, VXLAN, NAT)")
    .version(VERSION)
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  for (const command of [snapshotCommand(), serveCommand(), planCommand(), applyCommand(), schemaCommand()]) program.addCommand(command.exitOverride().showHelpAfterError("(run with --help for usage)"));
  return program;
}

/** By name: the server and reconcile commands are bundles of their own, each with its own UsageError class. */
function isUsageError(error: unknown): boolean {
  return error instanceof UsageError || (error instanceof Error && error.name === "UsageError");
}

/** Runs the CLI: usage errors exit 2, failures exit 1 with what failed. */
export async function main(argv: string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version "errors" are commander's way of saying it is done.
      process.exitCode = error.exitCode === 0 ? 0 : USAGE_ERROR;
      return;
    }
    process.stderr.write(`netatlas-agent: ${(error as Error).message}\n`);
    process.exitCode = isUsageError(error) ? USAGE_ERROR : 1;
  }
}
