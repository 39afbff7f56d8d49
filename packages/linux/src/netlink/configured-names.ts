import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BUILTIN_NAMES, type ConfiguredNames } from "./names.js";

/** Where iproute2 looks for its name files: the admin's first, then the distribution's defaults. */
const CONFIG_DIRS = ["/etc/iproute2", "/usr/share/iproute2"];

/** "254 main" lines; `#` starts a comment; numbers may be hex, as iproute2's %i accepts. */
export function parseNameFile(text: string, into: Map<number, string>): void {
  for (const line of text.split("\n")) {
    const m = /^\s*(0x[0-9a-fA-F]+|\d+)\s+([^\s#]+)/.exec(line);
    if (m) into.set(Number(m[1]), m[2] as string);
  }
}

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`cannot read ${path}: ${(error as Error).message}`);
  }
}

/** The file from the first directory that has it, then the `.d/*.conf` additions (rt_tables and rt_protos). */
function loadTable(name: string, builtin: ReadonlyMap<number, string>, withDropIns: boolean): Map<number, string> {
  const table = new Map(builtin);
  for (const dir of CONFIG_DIRS) {
    const text = readIfPresent(join(dir, name));
    if (text === undefined) continue;
    parseNameFile(text, table);
    break;
  }
  if (withDropIns) {
    for (const dir of CONFIG_DIRS) {
      let entries: string[] = [];
      try {
        entries = readdirSync(join(dir, `${name}.d`)).filter((f) => f.endsWith(".conf")).sort();
      } catch {
        continue; // no drop-in directory here
      }
      for (const file of entries) parseNameFile(readIfPresent(join(dir, `${name}.d`, file)) ?? "", table);
    }
  }
  return table;
}

let cached: ConfiguredNames | undefined;

/** The node's route table, protocol and scope names, read once per process (iproute2 reads them per run). */
export function configuredNames(): ConfiguredNames {
  cached ??= {
    tables: loadTable("rt_tables", BUILTIN_NAMES.tables, true),
    protocols: loadTable("rt_protos", BUILTIN_NAMES.protocols, true),
    scopes: loadTable("rt_scopes", BUILTIN_NAMES.scopes, false),
  };
  return cached;
}
