import { spawn, type ChildProcess } from "node:child_process";
import type { Logger } from "pino";

/**
 * One listener for every namespace of the node: `ip monitor all-nsid` subscribes
 * with NETLINK_LISTEN_ALL_NSID, so changes in any namespace that has an id in
 * ours (every namespace joined to us by a veth) arrive on one socket. The text is
 * not parsed — iproute2 prints device names resolved in *our* namespace, which
 * are wrong for other namespaces' changes — it only says "something changed";
 * the agent then re-reads with netlink, which is exact.
 */
export class IpMonitor {
  private child?: ChildProcess;
  private stopped = false;

  constructor(
    private readonly onChange: () => void,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    const child = spawn("ip", ["monitor", "all-nsid", "link", "address", "route", "neigh", "nsid"], { stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    child.stdout?.on("data", () => this.onChange());
    child.stderr?.on("data", (chunk: Buffer) => this.log.warn({ stderr: chunk.toString().trim() }, "ip monitor said"));
    child.on("error", (error) => this.log.error({ err: error }, "ip monitor could not start; changes are seen only by the periodic resync"));
    child.on("exit", (code, signal) => {
      if (this.stopped) return;
      this.log.warn({ code, signal }, "ip monitor exited; restarting in 1 s");
      setTimeout(() => !this.stopped && this.start(), 1000).unref();
    });
  }

  stop(): void {
    this.stopped = true;
    this.child?.kill("SIGTERM");
  }
}
