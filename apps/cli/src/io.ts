import { createInterface } from "node:readline";

/** Where output goes: a process stream, or a test's recorder. */
export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
  /** The terminal's width, when it is one. */
  columns?: number;
}

/** The process's streams and environment, passed in so that a test can run the CLI in process. */
export interface Io {
  stdout: Output;
  stderr: Output;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
}

export function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

/** Asks on stderr (stdout may be piped) and reads one line from stdin: true only for "y" or "yes". */
export async function confirm(io: Io, question: string): Promise<boolean> {
  const prompt = createInterface({ input: io.stdin, output: io.stderr as NodeJS.WritableStream, terminal: false });
  try {
    io.stderr.write(`${question} [y/N] `);
    const answer = await new Promise<string>((resolve) => {
      prompt.once("line", resolve);
      prompt.once("close", () => resolve(""));
    });
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    prompt.close();
  }
}

/** What a piped token may take: a token is 46 characters; a larger input is a mistake (a file piped by accident), not read whole. */
const MAX_STDIN_BYTES = 64 * 1024;

/** All of stdin as text (a piped token), refused past MAX_STDIN_BYTES. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stream) {
    text += typeof chunk === "string" ? chunk : (chunk as Buffer).toString("utf8");
    if (text.length > MAX_STDIN_BYTES) throw new Error(`stdin: more than ${MAX_STDIN_BYTES} bytes; a token is one line (na_…)`);
  }
  return text;
}
