import { spawn } from "node:child_process";

/** A long-lived command whose printed lines are counted, all and those matching `pattern` (e.g. `ip monitor`). */
export function countLines(argv: readonly string[], pattern: RegExp) {
  const child = spawn(argv[0] as string, argv.slice(1), { stdio: ["ignore", "pipe", "ignore"], shell: false });
  const counts = { lines: 0, matching: 0 };
  let partial = "";
  child.stdout.on("data", (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split("\n");
    partial = lines.pop() ?? "";
    counts.lines += lines.length;
    for (const line of lines) if (pattern.test(line)) counts.matching++;
  });
  child.on("error", () => undefined); // a command that did not start has no pid: the caller's first read of it fails and names it
  return {
    pid: child.pid,
    counts,
    stop: () => void (child.exitCode === null && child.kill("SIGTERM")),
  };
}
