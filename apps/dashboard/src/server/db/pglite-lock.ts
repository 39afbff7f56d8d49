import { readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const LOCK_FILE = "netatlas.pid";

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function holderOf(file: string): number | undefined {
  try {
    return Number(readFileSync(file, "utf8").trim()) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Holds a PGlite directory for this process until the returned function is called.
 * PGlite has no postmaster to refuse a second server: two processes (a running
 * dashboard and `netatlas-dashboard users`, or two dashboards) would each write their
 * own view of the same files. The holder's PID is in netatlas.pid; a file whose process
 * is gone (a crash) is taken over.
 */
export function holdPgliteDir(dir: string): () => void {
  const file = join(dir, LOCK_FILE);
  for (;;) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: "wx", mode: 0o600 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw new Error(`cannot hold the database directory ${dir}: ${(error as Error).message}`, { cause: error });
      const holder = holderOf(file);
      if (holder && running(holder)) {
        throw new Error(`the database in ${dir} is in use by process ${holder}${holder === process.pid ? " (this one)" : ""}: PGlite serves one process at a time; stop that dashboard first (or manage users on its Users page), or use PostgreSQL (DATABASE_URL)`);
      }
      unlinkSync(file);
    }
  }
  return () => {
    if (holderOf(file) === process.pid) unlinkSync(file);
  };
}
