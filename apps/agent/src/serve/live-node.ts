import { diffSnapshots, type NodeInfo, type NodeSnapshot } from "@netatlas/core";
import { EventLog } from "@netatlas/agent-api";
import { readMemoryPressure, readNodeInfo, snapshotNode, type SnapshotNodeOptions } from "@netatlas/linux";
import type { Logger } from "pino";
import { IpMonitor } from "./ip-monitor.js";
import type { AgentMetrics } from "./metrics.js";

export interface LiveNodeOptions extends SnapshotNodeOptions {
  /** A request never gets a snapshot older than this. */
  maxAgeMs: number;
  /** Full re-read even without a change notice: catches namespaces and processes that come and go. */
  resyncMs: number;
  /** Changes arriving within this window are read once. */
  debounceMs?: number;
}

/**
 * The node's current state, kept fresh by change notices instead of re-reading
 * per request: every notice schedules one re-read (coalesced), and the diff of
 * the new snapshot against the last becomes numbered events.
 */
export class LiveNode {
  readonly events: EventLog;
  private current?: { snapshot: NodeSnapshot; readAt: number; index: number };
  private readsStarted = 0;
  private inFlight?: Promise<NodeSnapshot>;
  private dirty = false;
  private debounce?: NodeJS.Timeout;
  private resync?: NodeJS.Timeout;
  private readonly monitor: IpMonitor;
  private info?: NodeInfo;
  private readonly listeners: Array<(snapshot: NodeSnapshot) => void> = [];

  constructor(
    private readonly options: LiveNodeOptions,
    private readonly metrics: AgentMetrics,
    private readonly log: Logger,
    readonly nodeName: string,
  ) {
    this.events = new EventLog(nodeName);
    this.monitor = new IpMonitor(() => this.changed(), log);
  }

  async start(): Promise<NodeSnapshot> {
    await this.readInfo();
    const first = await this.refresh();
    this.monitor.start();
    this.resync = setInterval(() => void this.readInfo().then(() => this.refresh()).catch(() => undefined), this.options.resyncMs);
    this.resync.unref();
    return first;
  }

  stop(): void {
    this.monitor.stop();
    clearInterval(this.resync);
    clearTimeout(this.debounce);
  }

  /** Host facts, with the memory pressure a long-running agent should show (re-read at every resync). */
  private async readInfo(): Promise<void> {
    const [info, memory] = await Promise.all([readNodeInfo(), readMemoryPressure().catch(() => undefined)]);
    this.info = { ...info, ...memory };
  }

  /** A snapshot no older than the bound (and the caller's own, if stricter). */
  async snapshot(maxAgeMs?: number): Promise<NodeSnapshot> {
    const bound = Math.min(maxAgeMs ?? Infinity, this.options.maxAgeMs);
    // "No older than 0 ms" means a read that starts now, not one already under way.
    if (bound === 0) return this.fresh();
    if (this.current && !this.dirty && Date.now() - this.current.readAt <= bound) return this.current.snapshot;
    return this.refresh();
  }

  /**
   * A snapshot from a read that started after this call: for decisions that must
   * not act on a state from before a change (a read already under way may have
   * begun in the middle of one).
   */
  async fresh(): Promise<NodeSnapshot> {
    const needed = this.readsStarted + 1;
    while (!this.current || this.current.index < needed) await (this.inFlight ?? this.startRead());
    return this.current.snapshot;
  }

  /** Calls `listener` with every new snapshot (after its events are published). */
  onSnapshot(listener: (snapshot: NodeSnapshot) => void): void {
    this.listeners.push(listener);
  }

  latest(): NodeSnapshot | undefined {
    return this.current?.snapshot;
  }

  private changed(): void {
    this.dirty = true;
    if (this.debounce) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      void this.refresh().catch(() => undefined);
    }, this.options.debounceMs ?? 10);
  }

  /** One read at a time; a notice during a read causes one more read after it. */
  private refresh(): Promise<NodeSnapshot> {
    if (this.inFlight) return this.inFlight.then(() => (this.dirty ? this.refresh() : (this.current as { snapshot: NodeSnapshot }).snapshot));
    return this.startRead();
  }

  private startRead(): Promise<NodeSnapshot> {
    this.dirty = false;
    const index = ++this.readsStarted;
    const started = performance.now();
    // What the service hands out is checked once, when read (the CLI skips the pass for its own typed output).
    this.inFlight = snapshotNode({ ...this.options, nodeName: this.nodeName, info: this.info, validate: true })
      .then((snapshot) => {
        this.metrics.snapshotDuration.observe((performance.now() - started) / 1000);
        this.metrics.namespaces.set(snapshot.namespaces.length);
        this.publishChanges(snapshot);
        this.current = { snapshot, readAt: Date.now(), index };
        for (const listener of this.listeners) listener(snapshot);
        return snapshot;
      })
      .catch((error: Error) => {
        this.metrics.errors.inc({ where: "snapshot" });
        this.log.error({ err: error }, "reading the node failed");
        throw error;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  private publishChanges(next: NodeSnapshot): void {
    if (!this.current) return;
    for (const change of diffSnapshots(this.current.snapshot, next)) {
      this.events.append(change);
      this.metrics.events.inc({ kind: change.kind });
    }
  }
}
