import { statSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { IpBatch } from "./ip-batch.js";
import { NamespaceChurn } from "./namespace-churn.js";
import type { PodNode } from "./pod-node.js";
import { RouteChurn, type BatchLine } from "./route-churn.js";

/** How often the driver hands out what is due. */
const TICK_MS = 10;
/** Veths one `ip` process makes before it is replaced (it keeps each new namespace's file open: see NamespaceChurn). */
const ATTACHES_PER_PROCESS = 10;
/** How long namespaces live; the churn runs this long before its window, so the window sees as many deletions as additions. */
const NAMESPACE_LIFETIME_MS = 500;
const NETNS_DIR = "/run/netns";

/** What the churn made within its window. */
export interface ChurnWindow {
  windowMs: number;
  routeChanges: number;
  namespaceChanges: number;
}

/** What a run of the churn made, and how it ended. */
export interface ChurnCounts extends ChurnWindow {
  /** From the end of the window until every ip process had run every line it was given. */
  drainMs: number;
  failed: { count: number; messages: string[] };
}

/**
 * Route and namespace churn on a pod node, made by long-lived `ip -batch` processes
 * fed through stdin: one in each pod namespace and one in the node's for routes, one
 * in the bench's own namespace for `netns add/delete`, and one in the node's for the
 * new namespaces' veths (replaced every ATTACHES_PER_PROCESS veths, see NamespaceChurn).
 */
export class ChurnDriver {
  private readonly routes: RouteChurn;
  private readonly namespaces: NamespaceChurn;
  private readonly batches = new Map<string, IpBatch>();
  private readonly host = new IpBatch();
  private attacher: IpBatch;
  private attacherSince = 0;
  private readonly retired: IpBatch[] = [];
  private readonly netnsDev = statSync(NETNS_DIR).dev;

  constructor(
    private readonly node: PodNode,
    private readonly rates: { routesPerSecond: number; namespacesPerSecond: number },
  ) {
    const hostSpace = { netns: node.node, dev: "cni0", net: "10.201", slots: 256 };
    this.routes = new RouteChurn(hostSpace, node.pods.map((netns) => ({ netns, dev: "eth0", net: "10.200", slots: 16 })));
    this.namespaces = new NamespaceChurn(`${node.prefix}-c`, { perSecond: rates.namespacesPerSecond, lifetimeMs: NAMESPACE_LIFETIME_MS, maxPool: 64, bridge: "cni0" });
    for (const netns of [node.node, ...node.pods]) this.batches.set(netns, new IpBatch(netns));
    this.attacher = new IpBatch(node.node);
  }

  /** Namespaces the churn added and did not delete (the pod node's own are not among them). */
  remaining(): string[] {
    return this.namespaces.remaining();
  }

  /** A namespace's file is mounted (a bind mount of nsfs, not the empty file `netns add` makes first). */
  private readonly ready = (netns: string) => {
    try {
      return statSync(`${NETNS_DIR}/${netns}`).dev !== this.netnsDev;
    } catch {
      return false;
    }
  };

  /**
   * Makes the churn: a warm-up of one namespace lifetime, then the window of `ms` (less
   * if `signal` aborts), whose start `onWindow` marks (for measurements of its own).
   */
  async run(ms: number, signal: AbortSignal, onWindow: () => void): Promise<ChurnWindow> {
    const start = performance.now();
    let window: { at: number; routes: number; namespaces: number } | undefined;
    for (;;) {
      const elapsed = performance.now() - start;
      if (!window && elapsed >= NAMESPACE_LIFETIME_MS) {
        onWindow();
        window = { at: performance.now(), routes: this.routes.count, namespaces: this.namespaces.changes };
      }
      if ((window && performance.now() - window.at >= ms) || signal.aborted) {
        return { windowMs: window ? performance.now() - window.at : 0, routeChanges: this.routes.count - (window?.routes ?? 0), namespaceChanges: this.namespaces.changes - (window?.namespaces ?? 0) };
      }
      const due = Math.floor((elapsed * this.rates.routesPerSecond) / 1000) - this.routes.count;
      this.writeRoutes(this.routes.take(due));
      const steps = this.namespaces.step(elapsed, this.ready);
      this.host.write(steps.host);
      this.attacher.write(steps.attach);
      if (this.namespaces.attaches - this.attacherSince >= ATTACHES_PER_PROCESS) {
        this.retired.push(this.attacher);
        void this.attacher.end().catch(() => undefined);
        this.attacher = new IpBatch(this.node.node);
        this.attacherSince = this.namespaces.attaches;
      }
      await sleep(TICK_MS);
    }
  }

  private writeRoutes(lines: BatchLine[]): void {
    const byNetns = new Map<string, string[]>();
    for (const { netns, line } of lines) byNetns.set(netns, [...(byNetns.get(netns) ?? []), line]);
    for (const [netns, group] of byNetns) this.batches.get(netns)?.write(group);
  }

  /** Waits until every ip process has run its lines and exited; the counts of the run. */
  async finish(window: ChurnWindow): Promise<ChurnCounts> {
    const start = performance.now();
    const all = [...this.batches.values(), this.host, this.attacher, ...this.retired];
    await Promise.all(all.map((b) => b.end()));
    const failed = all.map((b) => b.failed);
    return {
      ...window,
      drainMs: performance.now() - start,
      failed: { count: failed.reduce((n, f) => n + f.count, 0), messages: failed.flatMap((f) => f.messages).slice(0, 5) },
    };
  }

  /** Stops every ip process at once (after a failure or an interrupt). */
  kill(): void {
    for (const b of [...this.batches.values(), this.host, this.attacher, ...this.retired]) b.kill();
  }
}
