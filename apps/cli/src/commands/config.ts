import { Command } from "commander";
import { z } from "zod";
import { ContextName, readContextFile, selectContext, writeContextFile } from "../config/context-file.js";
import type { CliDeps } from "../deps.js";
import { parseFlags } from "../flags.js";
import { OutputFormat, outputOption, printer } from "../output/printer.js";
import type { Column } from "../output/table.js";

/** A context as it may be shown: never its token. */
interface ContextView {
  current: boolean;
  name: string;
  server: string;
  ca: boolean;
}

const columns: Column<ContextView>[] = [
  { header: "CURRENT", value: (c) => (c.current ? "*" : "") },
  { header: "NAME", value: (c) => c.name },
  { header: "SERVER", value: (c) => c.server, flex: true },
  { header: "CA", value: (c) => (c.ca ? "private" : "system") },
];

export function configCommand(deps: CliDeps): Command {
  const read = () => {
    const { file, warning } = readContextFile(deps.configPath);
    if (warning) deps.io.stderr.write(`netatlas: warning: ${warning}\n`);
    return file;
  };
  const config = new Command("config").description("the context file: which dashboards this CLI knows, and which one it uses");
  config
    .command("get-contexts")
    .description("list the contexts (never their tokens); * marks the current one")
    .addOption(outputOption())
    .action((raw: unknown) => {
      const flags = parseFlags(z.object({ output: OutputFormat }), raw);
      const file = read();
      const views = file.contexts.map((c) => ({ current: c.name === file["current-context"], name: c.name, server: c.server, ca: !!c.ca }));
      const out = printer(deps.io, flags.output);
      if (out.structured(views)) return;
      if (views.length) out.table(columns, views);
      else deps.io.stderr.write(`no contexts in ${deps.configPath}; run netatlas login --server URL --token-file FILE\n`);
    });
  config
    .command("use-context")
    .description("make a context the current one")
    .argument("<NAME>", "the context's name")
    .action((name: string) => {
      const { NAME } = parseFlags(z.object({ NAME: ContextName }), { NAME: name });
      const file = read();
      selectContext(file, deps.configPath, NAME, "NAME");
      writeContextFile(deps.configPath, { ...file, "current-context": NAME });
      deps.io.stdout.write(`switched to context "${NAME}"\n`);
    });
  config
    .command("current-context")
    .description("print the current context's name")
    .action(() => {
      deps.io.stdout.write(`${selectContext(read(), deps.configPath, undefined).name}\n`);
    });
  return config;
}
