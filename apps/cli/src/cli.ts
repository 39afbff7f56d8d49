import { Command, CommanderError } from "commander";
import { applyCommand } from "./commands/apply.js";
import { auditCommand } from "./commands/audit.js";
import { configCommand } from "./commands/config.js";
import { driftCommand } from "./commands/drift.js";
import { findingsCommand } from "./commands/findings.js";
import { loginCommand } from "./commands/login.js";
import { matrixCommand } from "./commands/matrix.js";
import { nodesCommand } from "./commands/nodes.js";
import { planCommand } from "./commands/plan.js";
import { podsCommand } from "./commands/pods.js";
import { traceCommand } from "./commands/trace.js";
import { configPath } from "./config/config-path.js";
import { readContextFile, selectContext } from "./config/context-file.js";
import { connectDashboard } from "./dashboard/dashboard.js";
import type { CliDeps } from "./deps.js";
import type { Io } from "./io.js";
import { UsageError } from "./usage-error.js";
import { VERSION } from "./version.js";

export const EXIT_ANSWER = 1;
export const EXIT_USAGE = 2;

const EXIT_CODES = `
Exit codes:
  0  done
  1  the answer is bad or the call failed: a trace not delivered, findings at --fail-on, an apply that did not
     succeed, a refused token (401) or role (403), an unreachable dashboard
  2  bad input: a flag, an argument or a file it names (the message names it)

Contexts: netatlas login --server URL --token-file FILE saves a dashboard and a personal API token in
$NETATLAS_CONFIG (default ~/.config/netatlas/config); --context NAME picks another than the current one.
Colours only on a terminal, never with NO_COLOR set.`;

/** Each command (and each of its subcommands) exits through main, and writes through the given streams. */
function wired(command: Command, io: Io): Command {
  command
    .exitOverride()
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });
  for (const sub of command.commands) wired(sub, io);
  return command;
}

export function buildCli(io: Io, options: { pollMs?: number } = {}): Command {
  const program = new Command("netatlas")
    .description("netatlas from a terminal: the fleet's nodes, findings, pods, packet traces, plans and applies, over the dashboard's API with a personal token")
    .version(VERSION)
    .option("--context <name>", "the context (dashboard and token) to use instead of the current one")
    .addHelpText("after", EXIT_CODES);
  const path = configPath(io.env);
  const contextName = () => (program.opts() as { context?: string }).context;
  const deps: CliDeps = {
    io,
    configPath: path,
    contextName,
    dashboard() {
      const { file, warning } = readContextFile(path);
      if (warning) io.stderr.write(`netatlas: warning: ${warning}\n`);
      return connectDashboard(selectContext(file, path, contextName()));
    },
    pollMs: options.pollMs ?? 1_000,
  };
  const commands = [nodesCommand, findingsCommand, podsCommand, traceCommand, matrixCommand, planCommand, applyCommand, driftCommand, auditCommand, loginCommand, configCommand];
  for (const make of commands) program.addCommand(make(deps));
  return wired(program, io);
}

/** Runs the CLI and gives its exit code: 2 for usage errors, 1 for failures (with what failed on stderr). */
export async function run(argv: string[], io: Io, options: { pollMs?: number } = {}): Promise<number> {
  try {
    await buildCli(io, options).parseAsync(argv);
    return 0;
  } catch (error) {
    // Help and version "errors" are commander's way of saying it is done; its own usage errors it has printed.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    io.stderr.write(`netatlas: ${(error as Error).message}\n`);
    return error instanceof UsageError ? EXIT_USAGE : EXIT_ANSWER;
  }
}
