import { chmodSync, lstatSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";

/**
 * Makes `dir` this user's alone: directories 0700, files 0600, for what is there
 * (PGlite wrote its files 0666 under the default umask), and umask 077 for what this
 * process creates from now on. The umask is process-wide on purpose: the dashboard
 * writes nothing that others should read. Symbolic links are neither followed nor changed.
 */
export function keepPrivate(dir: string): void {
  process.umask(0o077);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  tighten(dir);
}

function tighten(path: string): void {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) return;
  const mode = stat.isDirectory() ? 0o700 : 0o600;
  if ((stat.mode & 0o777) !== mode) {
    try {
      chmodSync(path, mode);
    } catch (error) {
      throw new Error(`cannot make ${path} private (mode ${mode.toString(8)}): ${(error as Error).message}; does it belong to another user? chown -R the data directory (NETATLAS_DATA_DIR) to the dashboard's user`, { cause: error });
    }
  }
  if (stat.isDirectory()) for (const entry of readdirSync(path)) tighten(join(path, entry));
}
