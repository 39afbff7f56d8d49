import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { ChannelName, listenPostgres } from "./pg-listener";
import { holdPgliteDir } from "./pglite-lock";
import { keepPrivate } from "./private-dir";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  kind: "pglite" | "postgres";
  /** Where it lives, without credentials: the PGlite directory or the server's host. */
  location: string;
  /** Calls `onPayload` with each NOTIFY on `channel` (from any process on this database) until the returned function is called. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres://… for a real PostgreSQL; PGlite in `dataDir` otherwise. */
  databaseUrl?: string;
  dataDir: string;
  /** The drizzle-kit migrations; by default ./drizzle beside the app (also in the standalone build). */
  migrationsDir?: string;
}

/** Opens the database and brings its schema up to date; the same migrations run on both engines. */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  const migrationsFolder = options.migrationsDir ?? resolve(process.cwd(), "drizzle");
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 5, connectionTimeoutMillis: 10_000 });
    const db = drizzlePg(pool, { schema });
    try {
      await oneMigrationAtATime(pool, () => migratePg(db, { migrationsFolder }));
    } catch (error) {
      await pool.end();
      const cause = (error as Error).cause instanceof Error ? `: ${((error as Error).cause as Error).message}` : "";
      throw new Error(`DATABASE_URL: could not migrate ${describeUrl(options.databaseUrl)}: ${(error as Error).message}${cause}`, { cause: error });
    }
    const url = options.databaseUrl;
    const listen = (channel: string, onPayload: (payload: string) => void) => listenPostgres(url, channel, onPayload, (m) => console.error(m));
    return { db: db as unknown as Db, kind: "postgres", location: describeUrl(url), listen, close: () => pool.end() };
  }
  // PGlite runs PostgreSQL in WebAssembly, without the server's own umask 077, and unpacks a new
  // cluster's files 0666: the umask covers what it creates, a second pass what it unpacked.
  keepPrivate(options.dataDir);
  const dir = join(options.dataDir, "pglite");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const release = holdPgliteDir(options.dataDir);
  let client: PGlite | undefined;
  const close = async () => {
    try {
      await client?.close();
    } finally {
      release();
    }
  };
  try {
    client = await PGlite.create(dir);
    const db = drizzlePglite(client, { schema });
    await migratePglite(db, { migrationsFolder });
    keepPrivate(options.dataDir);
    const pglite = client;
    const listen = async (channel: string, onPayload: (payload: string) => void) => {
      if (!ChannelName.test(channel)) throw new Error(`notification channel "${channel}" is not a plain lower-case identifier`);
      const unlisten = await pglite.listen(channel, onPayload);
      return () => unlisten();
    };
    return { db: db as unknown as Db, kind: "pglite", location: dir, listen, close };
  } catch (error) {
    // The error that stopped the opening is the one to report; closing what was half opened is best effort.
    await close().catch(() => undefined);
    throw error;
  }
}

/** Any number that no other user of the database takes advisory locks with: "netatlas" in ASCII. */
const MIGRATION_LOCK = 0x6e65746174;

/**
 * Replicas starting together would each find the schema behind and race to create the same
 * tables; a session-level advisory lock lets one migrate while the others wait, then find nothing to do.
 */
async function oneMigrationAtATime(pool: pg.Pool, migrate: () => Promise<void>): Promise<void> {
  const holder = await pool.connect();
  try {
    await holder.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await migrate();
  } finally {
    // A session that cannot unlock is closed instead, which ends its lock too.
    const unlocked = await holder.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]).then(() => undefined, (error: Error) => error);
    holder.release(unlocked);
  }
}

function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname || u.searchParams.get("host") || "localhost"}${u.port ? `:${u.port}` : ""}${u.pathname}`;
  } catch {
    throw new Error(`DATABASE_URL is not a URL (expected postgres://user:password@host:5432/db)`);
  }
}
