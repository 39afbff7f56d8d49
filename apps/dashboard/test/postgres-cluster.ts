import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const BIN = "/usr/lib/postgresql/15/bin";

/** Why a throwaway PostgreSQL cannot start here, or undefined when it can. */
export function postgresUnavailable(): string | undefined {
  if (!existsSync(`${BIN}/initdb`)) return `${BIN}/initdb is missing: install Debian's postgresql (bash tools/run/setup.sh)`;
  if (process.getuid?.() !== 0) return "starting a throwaway PostgreSQL as the postgres user needs root (runuser)";
  return undefined;
}

export interface PostgresCluster {
  url: string;
  dir: string;
  stop(): Promise<void>;
}

/**
 * A throwaway cluster in its own temp directory, run as the `postgres` user
 * (initdb refuses root), listening only on a unix socket in that directory.
 * `stop` ends the server we started, by its PID, and deletes the directory.
 */
export async function startPostgres(): Promise<PostgresCluster> {
  const dir = mkdtempSync(join(tmpdir(), "netatlas-pg-"));
  const [uid, gid] = ["-u", "-g"].map((flag) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim())) as [number, number];
  chownSync(dir, uid, gid);
  const data = join(dir, "data");
  let server: ChildProcess | undefined;
  const stop = async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server?.once("exit", resolve));
      server.kill("SIGINT"); // fast shutdown: roll back open transactions, close sessions
      await Promise.race([exited, sleep(10_000)]);
      if (server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    execFileSync("runuser", ["-u", "postgres", "--", `${BIN}/initdb`, "-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"], { stdio: "pipe" });
    writeFileSync(join(data, "postgresql.auto.conf"), `listen_addresses = ''\nunix_socket_directories = '${dir}'\nport = 5432\nfsync = off\n`);
    // postgres itself, not pg_ctl (which starts it through a shell); runuser execs it, so its PID is ours to stop.
    server = spawn("runuser", ["-u", "postgres", "--", `${BIN}/postgres`, "-D", data], { stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    server.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
    // The socket appears before the server accepts sessions ("the database system is starting up").
    const ready = () => spawnSync(`${BIN}/pg_isready`, ["-q", "-h", dir, "-p", "5432"]).status === 0;
    for (let i = 0; i < 150 && !ready(); i++) {
      if (server.exitCode !== null) throw new Error(`postgres exited with ${server.exitCode}: ${log}`);
      await sleep(100);
    }
    if (!ready()) throw new Error(`postgres did not accept sessions on ${dir} within 15 s: ${log}`);
    return { url: `postgres://postgres@localhost:5432/postgres?host=${encodeURIComponent(dir)}`, dir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

