import { spawn } from "node:child_process";
import { closeSync, openSync, readdirSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/** A marker in the arguments of every process the lab starts, so `down` finds them even without state. */
export const marker = (prefix: string, what: string) => `netatlas-lab=${prefix}/${what}`;

/** Starts a long-lived process that outlives the CLI, with its output in `logFile`. */
export function spawnDetached(argv: readonly string[], logFile: string, env: NodeJS.ProcessEnv = process.env): number {
  const [file, ...args] = argv;
  if (!file) throw new TypeError("spawnDetached: argv is empty");
  const log = openSync(logFile, "a");
  try {
    const child = spawn(file, args, { detached: true, shell: false, stdio: ["ignore", log, log], env });
    if (child.pid === undefined) throw new Error(`could not start ${file}`);
    child.unref();
    return child.pid;
  } finally {
    closeSync(log);
  }
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, "utf8");
  } catch {
    return undefined;
  }
}

/** Running, stopped or sleeping: anything but gone or a zombie. */
export function isAlive(pid: number): boolean {
  const stat = readProc(pid, "stat");
  return stat !== undefined && !/^\d+ \(.*\) Z/.test(stat);
}
export const commOf = (pid: number) => readProc(pid, "comm")?.trim();
export const cmdlineOf = (pid: number) => (readProc(pid, "cmdline") ?? "").split("\0").filter(Boolean);

/**
 * The process that `start` (an nsenter or unshare that forks) ends up running:
 * its child once that child has exec'd `comm`. Waits up to `timeoutMs`.
 */
export async function descendantWithComm(start: number, comm: string, timeoutMs = 5_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = findDescendant(start, comm);
    if (found !== undefined) return found;
    if (!isAlive(start)) break;
    await sleep(5);
  }
  throw new Error(`process ${start} did not start "${comm}" within ${timeoutMs} ms`);
}

function findDescendant(pid: number, comm: string): number | undefined {
  if (commOf(pid) === comm) return pid;
  const children = (readProc(pid, `task/${pid}/children`) ?? "").trim().split(/\s+/).filter(Boolean).map(Number);
  for (const child of children) {
    const found = findDescendant(child, comm);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Every process whose arguments carry this lab's marker: what `down` may end. */
export function markedProcesses(prefix: string): number[] {
  const needle = `netatlas-lab=${prefix}/`;
  const pids: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid !== process.pid && cmdlineOf(pid).some((arg) => arg.startsWith(needle))) pids.push(pid);
  }
  return pids;
}

/**
 * The `nsenter -t NODE_PID …` processes that started things inside a node (agents,
 * pods' containers). They live outside the node's PID namespace: one that is
 * stopped never reaps its child, and the node's namespaces then never go away.
 */
export function launchersInto(nodePids: ReadonlySet<number>): number[] {
  const pids: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const [cmd, flag, target] = cmdlineOf(Number(name));
    if (cmd?.endsWith("nsenter") && flag === "-t" && nodePids.has(Number(target))) pids.push(Number(name));
  }
  return pids;
}
