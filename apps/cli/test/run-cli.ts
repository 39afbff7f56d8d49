import { PassThrough, Readable } from "node:stream";
import { run } from "../src/cli.js";
import type { Io } from "../src/io.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  /** Piped stdin text; or `{ tty: answer }` for a terminal on which a person types `answer`. */
  stdin?: string | { tty: string };
  /** stdout is a terminal of this width. */
  terminalColumns?: number;
}

/** Runs the CLI in this process with recorded streams, as `netatlas ARGS…` would run. */
export async function runCli(args: string[], options: RunOptions = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  let stdin: Io["stdin"];
  if (typeof options.stdin === "object") {
    const terminal = Object.assign(new PassThrough(), { isTTY: true });
    terminal.end(`${options.stdin.tty}\n`);
    stdin = terminal;
  } else {
    stdin = Readable.from(options.stdin === undefined ? [] : [options.stdin]);
  }
  const io: Io = {
    stdout: { write: (t: string) => (stdout += t), isTTY: options.terminalColumns !== undefined, columns: options.terminalColumns },
    stderr: { write: (t: string) => (stderr += t) },
    stdin,
    env: options.env ?? {},
  };
  const code = await run(["node", "netatlas", ...args], io, { pollMs: 5 });
  return { code, stdout, stderr };
}
