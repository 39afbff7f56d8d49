import { spawn } from "node:child_process";

/**
 * A long-lived `ip -force -batch -` fed line by line through its stdin: one process
 * makes many changes, so the churn's driver costs little. -force goes on past a failed
 * command; each failure is counted from ip's "Command failed" line on stderr.
 */
export class IpBatch {
  private readonly child;
  private readonly exited: Promise<void>;
  private stderr = "";
  private failedLines = 0;
  private readonly failures: string[] = [];

  /** `netns`: the named namespace to run in (`ip -n`), or none for the bench's own. */
  constructor(readonly netns?: string) {
    const argv = [...(netns ? ["-n", netns] : []), "-force", "-batch", "-"];
    this.child = spawn("ip", argv, { stdio: ["pipe", "ignore", "pipe"], shell: false });
    this.exited = new Promise((resolve, reject) => {
      this.child.once("error", (error) => reject(new Error(`cannot run ip ${argv.join(" ")}: ${error.message}`)));
      this.child.once("close", () => resolve());
    });
    this.exited.catch(() => undefined);
    this.child.stdin.on("error", () => undefined); // an ip that died is reported by end()
    this.child.stderr.on("data", (chunk: Buffer) => this.readStderr(chunk.toString()));
  }

  private readStderr(text: string): void {
    const lines = (this.stderr + text).split("\n");
    this.stderr = lines.pop() ?? "";
    for (const line of lines) {
      if (line.startsWith("Command failed")) this.failedLines++;
      else if (this.failures.length < 5) this.failures.push(line);
    }
  }

  /** Commands that failed so far, and the first few messages, to name in a report. */
  get failed(): { count: number; messages: string[] } {
    return { count: this.failedLines, messages: this.failures };
  }

  write(lines: readonly string[]): void {
    if (lines.length > 0) this.child.stdin.write(`${lines.join("\n")}\n`);
  }

  /** Closes its stdin and waits until it has run every line and exited. */
  async end(): Promise<void> {
    this.child.stdin.end();
    await this.exited;
    if (this.child.exitCode !== 0 && this.child.exitCode !== 1) throw new Error(`ip ${this.netns ? `-n ${this.netns} ` : ""}-batch ended with ${this.child.exitCode ?? this.child.signalCode}`);
  }

  /** Stops it at once (cleanup after a failure). */
  kill(): void {
    if (this.child.exitCode === null) this.child.kill("SIGKILL");
  }
}
