import { Command } from "commander";
import { snapshotJsonSchema } from "@netatlas/core";

export function schemaCommand(): Command {
  return new Command("schema").description("print the JSON Schema of the snapshot format (`snapshot --json`)").action(() => {
    process.stdout.write(`${JSON.stringify(snapshotJsonSchema(), null, 2)}\n`);
  });
}
