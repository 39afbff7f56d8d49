import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

export const DEFAULT_CNI_CACHE_DIR = "/var/lib/cni/results";

/** The raw JSON files of the CNI result cache; a missing directory means no pods. Unreadable files become warnings. */
export async function readCniCache(dir = DEFAULT_CNI_CACHE_DIR): Promise<{ entries: unknown[]; warnings: string[] }> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { entries: [], warnings: [] };
    return { entries: [], warnings: [`CNI cache ${dir}: ${(error as Error).message}`] };
  }
  const entries: unknown[] = [];
  const warnings: string[] = [];
  for (const name of names) {
    try {
      entries.push(JSON.parse(await readFile(join(dir, name), "utf8")));
    } catch (error) {
      warnings.push(`CNI cache ${join(dir, name)}: ${(error as Error).message}`);
    }
  }
  return { entries, warnings };
}
