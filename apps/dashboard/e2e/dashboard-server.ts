import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const APP = fileURLToPath(new URL("..", import.meta.url));
const NEXT = join(APP, "../../node_modules/next/dist/bin/next");

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newestChange(join(path, entry))));
}

/** The package's build (its worker bundles, then `next build`), unless every output is newer than every source they are made of. */
export async function buildIfStale(): Promise<void> {
  const outputs = [join(APP, ".next/BUILD_ID"), join(APP, "public/workers/topology-layout.js"), join(APP, "dist/snapshot-intake-worker.cjs")];
  const sources = ["src", "drizzle", "scripts", "next.config.ts", "package.json"].map((p) => join(APP, p));
  const newestSource = Math.max(...sources.map(newestChange));
  if (outputs.every((o) => existsSync(o) && statSync(o).mtimeMs > newestSource)) return;
  try {
    const options = { cwd: APP, timeout: 900_000, maxBuffer: 64 << 20, env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } };
    await promisify(execFile)(process.execPath, [join(APP, "scripts/build-worker.mjs")], options);
    await promisify(execFile)(process.execPath, [NEXT, "build"], options);
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`the dashboard build failed in ${APP}:\n${stdout.slice(-4000)}\n${stderr.slice(-4000)}`);
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface DashboardServer {
  url: string;
  /** The `next start` process. */
  pid: number;
  log: () => string;
  stop(): Promise<void>;
}

/** `next start` on 127.0.0.1 with a free port; `stop` ends that process (by its PID) and waits for it. */
export async function startDashboard(env: Record<string, string>): Promise<DashboardServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [NEXT, "start", "-H", "127.0.0.1", "-p", String(port)], { cwd: APP, env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await Promise.race([exited, sleep(10_000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 120; i++) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}/api/trpc/auth.status`)).ok) return { url, pid: child.pid as number, log: () => output, stop };
    } catch {
      // not listening yet
    }
    await sleep(500);
  }
  await stop();
  throw new Error(`the dashboard did not answer on ${url} within 60 s:\n${output}`);
}
