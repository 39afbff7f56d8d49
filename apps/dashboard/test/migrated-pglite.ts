import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll } from "vitest";
import { openDatabase, type Database } from "../src/server/db/open";

/** PGlite with the app's migrations in a directory of its own, for one describe block; removed after it. */
export function useMigratedPglite(prefix: string): () => Database {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let database: Database | undefined;
  beforeAll(async () => {
    database = await openDatabase({ dataDir: dir, migrationsDir: fileURLToPath(new URL("../drizzle", import.meta.url)) });
  }, 60_000);
  afterAll(async () => {
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (!database) throw new Error("the database is opened in beforeAll");
    return database;
  };
}
