import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { z } from "zod";

/**
 * The agent's few files of state (the kept intent and mode, the apply journal), each
 * written to a temporary file and renamed, so a crash leaves the old or the new
 * version, never half of one.
 */
export class StateStore {
  constructor(readonly dir: string) {}

  async read<T extends z.ZodType>(name: string, schema: T): Promise<z.infer<T> | undefined> {
    let text: string;
    try {
      text = await readFile(join(this.dir, name), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new Error(`${join(this.dir, name)} is not valid JSON (${(error as Error).message}); remove it or put back a good copy`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new Error(`${join(this.dir, name)} is not valid: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  }

  async write(name: string, value: unknown): Promise<void> {
    const file = join(this.dir, name);
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      await writeFile(`${file}.tmp`, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
      await rename(`${file}.tmp`, file);
    } catch (error) {
      throw new Error(`cannot write ${file}: ${(error as Error).message}; the state directory (--state-dir) must be a directory this agent can write`);
    }
  }

  async remove(name: string): Promise<void> {
    await rm(join(this.dir, name), { force: true });
  }
}
