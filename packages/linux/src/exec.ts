import { spawn } from "node:child_process";

export interface RunOptions {
  /** Written to the command's standard input (e.g. an `ip -batch -` file). */
  input?: string;
  /** Killed (SIGKILL) after this long; the error says so. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Exit codes that are not failures (default: only 0). */
  okCodes?: number[];
}

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** A command that failed: says which one, how, and what it printed on stderr. */
export class CommandError extends Error {
  constructor(
    readonly argv: readonly string[],
    readonly code: number | null,
    readonly stderr: string,
    reason: string,
  ) {
    super(`${argv.join(" ")}: ${reason}${stderr.trim() ? `: ${stderr.trim()}` : ""}`);
    this.name = "CommandError";
  }
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** Runs argv[0] with the rest as arguments. Never through a shell. */
export function run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const [file, ...args] = argv;
  if (!file) throw new TypeError("run: argv is empty");
  const okCodes = options.okCodes ?? [0];
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout ends what it started too (nsenter forks; a
    // grandchild holding our pipes would otherwise keep us waiting).
    const child = spawn(file, args, { shell: false, env: options.env ?? process.env, stdio: ["pipe", "pipe", "pipe"], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const reason = error.code === "ENOENT" ? "command not found (is it installed?)" : error.message;
      reject(new CommandError(argv, null, "", reason));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString("utf8");
      const stderr = Buffer.concat(err).toString("utf8");
      if (timedOut) return reject(new CommandError(argv, code, stderr, `timed out after ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`));
      if (code === null) return reject(new CommandError(argv, null, stderr, `killed by ${signal}`));
      if (!okCodes.includes(code)) return reject(new CommandError(argv, code, stderr, `exit code ${code}`));
      resolve({ stdout, stderr, code });
    });
    child.stdin.on("error", () => undefined); // the command may exit before reading its input
    child.stdin.end(options.input ?? "");
  });
}
