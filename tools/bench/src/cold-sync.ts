import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDashboard, type DashboardServer } from "./dashboard-server.js";
import { DashboardSession } from "./dashboard-session.js";
import { waitUntilUp } from "./fleet-up.js";
import { processCpuMs } from "./process-usage.js";
import type { RecordedAgent } from "./recorded-agents.js";

export const BENCH_PASSWORD = "netatlas-bench-admin";

export interface SyncedDashboard {
  server: DashboardServer;
  session: DashboardSession;
  /** From the runtime's start (its poller has the targets) until fleet.overview showed every node up; sign-in falls inside. */
  syncMs: number;
  /** The dashboard's CPU from its first answer until every node was up, as % of one core: under 100, it waited for the agents. */
  syncCpuPercent: number;
}

/** What a benchmark started, for its clean-up: dashboards to stop and data directories to remove. */
export interface Started {
  servers: DashboardServer[];
  dirs: string[];
}

/**
 * Runs a dashboard benchmark and then removes what it started (its dashboards, their data
 * directories, and whatever `alsoStop` stops), also when it fails (printing the dashboards'
 * last output) or is interrupted (SIGINT or SIGTERM, raised again once clean).
 */
export async function withStarted<T>(work: (started: Started) => Promise<T>, alsoStop: () => Promise<void>): Promise<T> {
  const started: Started = { servers: [], dirs: [] };
  const cleanUp = async () => {
    for (const server of started.servers) await server.stop();
    await alsoStop();
    for (const dir of started.dirs) rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => void cleanUp().finally(() => process.kill(process.pid, signal));
  process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
  try {
    return await work(started);
  } catch (error) {
    for (const server of started.servers) console.error(`bench: the last output of the dashboard at ${server.url}:\n${server.log().trim()}`);
    throw error;
  } finally {
    process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
    await cleanUp();
  }
}

/**
 * A dashboard's production build over `agents` from cold (an empty PGlite directory of
 * its own; the agents listed in a file, as 2,000 of them do not fit one environment
 * variable), signed in as admin, timed until every node is up.
 */
export async function syncedDashboard(agents: readonly RecordedAgent[], options: { pollIntervalMs: number; overviewEveryMs: number; started: Started; env?: Record<string, string>; nodeArgs?: readonly string[] }): Promise<SyncedDashboard> {
  const dataDir = mkdtempSync(join(tmpdir(), "netatlas-bench-dashboard-"));
  options.started.dirs.push(dataDir);
  const agentsFile = join(dataDir, "agents.json");
  writeFileSync(agentsFile, JSON.stringify(agents.map(({ name, url, token }) => ({ name, url, token }))), { mode: 0o600 });
  const server = await startDashboard({
    NETATLAS_AGENTS_FILE: agentsFile,
    NETATLAS_DATA_DIR: dataDir,
    NETATLAS_ADMIN_PASSWORD: BENCH_PASSWORD,
    NETATLAS_POLL_INTERVAL_MS: String(options.pollIntervalMs),
    ...options.env,
  }, { nodeArgs: options.nodeArgs });
  options.started.servers.push(server);
  const [cpu0, t0] = [processCpuMs(server.pid), performance.now()];
  const session = await DashboardSession.signIn(server.url, BENCH_PASSWORD);
  const upAt = await waitUntilUp(session, agents.map((a) => a.name), { everyMs: options.overviewEveryMs, timeoutMs: 900_000 });
  const syncCpuPercent = ((processCpuMs(server.pid) - cpu0) / (performance.now() - t0)) * 100;
  return { server, session, syncMs: upAt - server.runtimeStartedAt, syncCpuPercent };
}
