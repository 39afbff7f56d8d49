import { spawn } from "node:child_process";

export interface LineWatch {
  /** Resolves with performance.now() when a line containing `needle` arrives (after this call). */
  next(needle: string, timeoutMs?: number): Promise<number>;
  stop(): void;
}

/** Runs a long-lived command and times the lines it prints, e.g. `ip monitor`. */
export function watchLines(argv: readonly string[]): LineWatch {
  const child = spawn(argv[0] as string, argv.slice(1), { stdio: ["ignore", "pipe", "pipe"], shell: false });
  const waiters: Array<{ needle: string; resolve: (at: number) => void }> = [];
  let partial = "";
  child.stdout.on("data", (chunk: Buffer) => {
    const at = performance.now();
    const lines = (partial + chunk.toString()).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      for (const w of waiters.filter((x) => line.includes(x.needle))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(at);
      }
    }
  });
  return {
    next: (needle, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${argv.join(" ")} printed no line with "${needle}" within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ needle, resolve: (at) => (clearTimeout(timer), resolve(at)) });
      }),
    stop: () => child.kill("SIGTERM"),
  };
}
