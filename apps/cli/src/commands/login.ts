import { Command } from "commander";
import { readFileSync } from "node:fs";
import { z } from "zod";
import { Context, readContextFile, ServerUrl, withContext, writeContextFile } from "../config/context-file.js";
import { ApiToken } from "../dashboard/api-token.js";
import { connectDashboard } from "../dashboard/dashboard.js";
import { Whoami } from "../dashboard/whoami.js";
import type { CliDeps } from "../deps.js";
import { parseFlags } from "../flags.js";
import { readAll, type Io } from "../io.js";
import { UsageError } from "../usage-error.js";

const Flags = z.object({ server: ServerUrl, tokenFile: z.string().optional(), ca: z.string().optional() });

function readFileAs(field: string, path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`${field}: cannot read ${path}: ${(error as Error).message}`);
  }
}

/** The token from a file, or piped on stdin: never from argv, where `ps` and the shell's history would show it. */
async function readToken(io: Io, tokenFile: string | undefined): Promise<string> {
  if (tokenFile && tokenFile !== "-") return readFileAs("--token-file", tokenFile);
  if (io.stdin.isTTY) throw new UsageError("--token-file: give the file that holds the token, or pipe the token on stdin (a token is never an argument)");
  return readAll(io.stdin);
}

function checked(field: string, schema: z.ZodType<string>, value: string): string {
  const result = schema.safeParse(value);
  if (!result.success) throw new UsageError(`${field}: ${(result.error.issues[0] as z.core.$ZodIssue).message}`);
  return result.data;
}

/** A context's name when none is given: the server's host and port, as kubectl names a cluster. */
export const defaultContextName = (server: string) => new URL(server).host.replace(/[^A-Za-z0-9._:-]/g, "-");

export function loginCommand(deps: CliDeps): Command {
  return new Command("login")
    .description("check a personal API token against a dashboard and save both as a context (the current one) in the context file")
    .requiredOption("--server <url>", "the dashboard's URL, e.g. https://netatlas.example.com")
    .option("--token-file <file>", "the file holding the token (default: read it from stdin)")
    .option("--ca <file>", "PEM certificate(s) of a private CA to trust for an https dashboard")
    .addHelpText("after", "\nThe context is named by --context (default: the server's host:port). The context file is $NETATLAS_CONFIG, else ~/.config/netatlas/config (mode 0600; it holds the token).")
    .action(async (raw: unknown) => {
      const flags = parseFlags(Flags, raw);
      const token = checked("--token-file", ApiToken, await readToken(deps.io, flags.tokenFile));
      const ca = flags.ca ? readFileAs("--ca", flags.ca) : undefined;
      const candidate = Context.safeParse({ name: deps.contextName() ?? defaultContextName(flags.server), server: flags.server, token, ...(ca ? { ca } : {}) });
      if (!candidate.success) {
        const issue = candidate.error.issues[0] as z.core.$ZodIssue;
        const key = String(issue.path[0]);
        throw new UsageError(`${key === "name" ? "--context" : `--${key}`}: ${issue.message}`);
      }
      const context = candidate.data;
      const answer = await connectDashboard(context).askUntyped("auth.whoami", "query");
      const who = Whoami.safeParse(answer);
      if (!who.success) throw new Error(`${context.server} answered auth.whoami with something else than who the token is; is it a netatlas dashboard of this version?`);
      const { file, warning } = readContextFile(deps.configPath);
      if (warning) deps.io.stderr.write(`netatlas: warning: ${warning}\n`);
      writeContextFile(deps.configPath, withContext(file, context));
      deps.io.stdout.write(`logged in to ${context.server} as ${who.data.user} (${who.data.role}, via ${who.data.via}); context "${context.name}" saved in ${deps.configPath} and made current\n`);
    });
}
