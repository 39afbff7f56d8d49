import { execFile, spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const REPO = fileURLToPath(new URL("../../../", import.meta.url));
// The lab through its CLI, as the demo's own hints tell a person to (apps do not import tools).
const LAB = fileURLToPath(new URL("../../../tools/lab/bin/netatlas-lab.js", import.meta.url));
const KEEP_OUTPUT = 64 << 10;

export interface DemoOptions {
  /** NETATLAS_DEMO_PREFIX: names the lab and the dashboard's data dir. */
  prefix: string;
  port: number;
  adminPassword: string;
  /** Passed through to the dashboard, which inherits demo.sh's environment (e.g. NETATLAS_POLL_INTERVAL_MS). */
  env: Record<string, string>;
}

export interface Demo {
  prefix: string;
  url: string;
  /** Where demo.sh keeps the lab (its default run dir for the prefix). */
  runDir: string;
  /** The dashboard's PGlite data dir that demo.sh chose. */
  dataDir: string;
  /** demo.sh's output so far (the last 64 KiB), for error messages. */
  output: () => string;
  /** Ends demo.sh's process group (the dashboard, or a lab still coming up), removes its lab and data dir; safe to call when a step failed. */
  stop(): Promise<void>;
}

/**
 * `bash tools/run/demo.sh` as a person runs it, with its own prefix, port and
 * password, without setup (the caller built everything). It runs in a process
 * group of its own: before its `exec` of the dashboard it is bash with `lab up`
 * as a child, afterwards the dashboard launcher with `next start` as a child,
 * and `stop` must end whichever is there. Resolves once the dashboard answers.
 */
export async function startDemo(options: DemoOptions, timeoutMs: number): Promise<Demo> {
  const child: ChildProcess = spawn("bash", ["tools/run/demo.sh"], {
    cwd: REPO,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...options.env, PORT: String(options.port), NETATLAS_ADMIN_PASSWORD: options.adminPassword, NETATLAS_DEMO_PREFIX: options.prefix, NETATLAS_DEMO_SKIP_SETUP: "1", NEXT_TELEMETRY_DISABLED: "1" },
  });
  let output = "";
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-KEEP_OUTPUT));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.on("error", (error) => keep(Buffer.from(`cannot run tools/run/demo.sh: ${error.message}\n`)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const demo: Demo = {
    prefix: options.prefix,
    url: `http://127.0.0.1:${options.port}`,
    runDir: `/run/netatlas-lab/${options.prefix}`,
    dataDir: `/var/lib/netatlas/dashboard-${options.prefix}`,
    output: () => output,
    stop: () => stopDemo(child, exited, demo),
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await demo.stop();
      throw new Error(`tools/run/demo.sh exited (${child.exitCode ?? child.signalCode}) before the dashboard answered:\n${output}`);
    }
    try {
      if ((await fetch(`${demo.url}/api/trpc/auth.status`)).ok) return demo;
    } catch {
      // the lab is still coming up, or next is not listening yet
    }
    await sleep(1_000);
  }
  await demo.stop();
  throw new Error(`the demo's dashboard did not answer on ${demo.url} within ${timeoutMs / 1000} s:\n${output}`);
}

/** Signals the group demo.sh leads (by its id, which is the child's PID), then removes the lab and the data dir. */
async function stopDemo(child: ChildProcess, exited: Promise<void>, demo: Demo): Promise<void> {
  const signalGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
    }
  };
  signalGroup("SIGTERM");
  await Promise.race([exited, sleep(15_000)]);
  // Whatever of the group outlived the leader (a `next start` or `lab up` that ignored SIGTERM).
  signalGroup("SIGKILL");
  try {
    await promisify(execFile)(process.execPath, [LAB, "down", "--prefix", demo.prefix, "--run-dir", demo.runDir], { timeout: 120_000, killSignal: "SIGKILL" });
  } finally {
    rmSync(demo.dataDir, { recursive: true, force: true });
  }
}
