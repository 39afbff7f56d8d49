import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { repoRoot } from "./paths.js";

const APP = `${repoRoot}apps/dashboard`;
const NEXT = `${repoRoot}node_modules/next/dist/bin/next`;
/** What the runtime prints once its poller runs (runtime.ts). */
const RUNTIME_STARTED = /netatlas dashboard: .* agent\(s\)/;

export interface DashboardServer {
  url: string;
  pid: number;
  /**
   * When (performance.now() of this process) the dashboard printed that its runtime has
   * started: its poller has the targets and has opened their streams or begun their polls.
   */
  runtimeStartedAt: number;
  /** The tail of its stdout and stderr. */
  log(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The dashboard's production build (`next start`) on a free port of 127.0.0.1,
 * with `nodeArgs` for its Node (e.g. --cpu-prof, which NODE_OPTIONS may not carry),
 * in a process group of its own so that `stop` ends it and whatever it started
 * (by its PID, as the group's leader), even when it hangs.
 */
export async function startDashboard(env: Record<string, string>, options: { nodeArgs?: readonly string[]; timeoutMs?: number } = {}): Promise<DashboardServer> {
  const timeoutMs = options.timeoutMs ?? 90_000;
  if (!existsSync(`${APP}/.next/BUILD_ID`)) throw new Error(`the dashboard has no production build in ${APP}/.next; run npx nx run netatlas-dashboard:build`);
  const port = await freePort();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), NEXT, "start", "-H", "127.0.0.1", "-p", String(port)], { cwd: APP, env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true, shell: false });
  let output = "";
  let runtimeStartedAt: number | undefined;
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
    if (runtimeStartedAt === undefined && RUNTIME_STARTED.test(output)) runtimeStartedAt = performance.now();
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const pid = child.pid!;
  const alive = () => child.exitCode === null && child.signalCode === null;
  const stop = async () => {
    if (!alive()) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-pid, "SIGTERM");
    await Promise.race([exited, sleep(10_000)]);
    if (alive()) process.kill(-pid, "SIGKILL");
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive()) throw new Error(`next start of the dashboard exited with ${child.exitCode ?? child.signalCode}:\n${output}`);
    const ok = await fetch(`${url}/api/health`).then((res) => res.ok, () => false); // false: not listening yet
    if (ok && runtimeStartedAt !== undefined) return { url, pid, runtimeStartedAt, log: () => output, stop };
    if (ok) {
      await stop();
      throw new Error(`the dashboard answers, but printed no "netatlas dashboard: … agent(s)" line when its runtime started; did its start message change?\n${output}`);
    }
    await sleep(250);
  }
  await stop();
  throw new Error(`the dashboard did not answer ${url}/api/health within ${timeoutMs} ms:\n${output}`);
}
