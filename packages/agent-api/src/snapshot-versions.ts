import { randomBytes } from "node:crypto";
import { snapshotDelta, snapshotHash, type NodeSnapshot } from "@netatlas/core";
import type { SnapshotDeltaMessage, SnapshotFullMessage } from "./stream-model.js";

export interface SnapshotVersionsOptions {
  /** How many deltas are kept for clients that come back after a short while. */
  capacity?: number;
  /**
   * And at most this many bytes of them (as JSON; as objects they hold several times that).
   * Deltas worth more than a whole snapshot or two are not worth keeping: a client that
   * missed them is sent the whole snapshot (a 110-pod node's is ~0.5 MB).
   */
  capacityBytes?: number;
}

/**
 * Numbers a node's distinct states and keeps the delta from each to the next, for the
 * snapshot stream: a client that holds version N gets the deltas after N (while they are
 * kept), or the whole snapshot. The epoch names this agent run: versions of another run
 * (before a restart) never pass for these.
 */
export class SnapshotVersions {
  readonly epoch = randomBytes(8).toString("hex");
  private version = 0;
  private current: { snapshot: NodeSnapshot; hash: string } | undefined;
  private readonly kept: { message: SnapshotDeltaMessage; bytes: number }[] = [];
  private keptBytes = 0;
  private readonly listeners = new Set<(message: SnapshotDeltaMessage) => void>();
  private readonly capacity: number;
  private readonly capacityBytes: number;

  constructor(options: SnapshotVersionsOptions = {}) {
    this.capacity = options.capacity ?? 256;
    this.capacityBytes = options.capacityBytes ?? 1024 * 1024;
  }

  /** Takes the node's snapshot as it is now (a new version when its content differs from the last), and returns that version. */
  publish(snapshot: NodeSnapshot): SnapshotFullMessage {
    const hash = snapshotHash(snapshot);
    const before = this.current;
    if (before?.hash === hash) {
      before.snapshot = snapshot;
      return this.latest() as SnapshotFullMessage;
    }
    this.current = { snapshot, hash };
    this.version++;
    if (before) this.keep(before.snapshot, snapshot, hash);
    return this.latest() as SnapshotFullMessage;
  }

  /** The delta to the new version, kept for clients that come back, and told to the listeners. */
  private keep(before: NodeSnapshot, snapshot: NodeSnapshot, hash: string): void {
    const message: SnapshotDeltaMessage = { type: "delta", epoch: this.epoch, from: this.version - 1, version: this.version, hash, delta: snapshotDelta(before, snapshot) };
    const bytes = JSON.stringify(message.delta).length;
    this.kept.push({ message, bytes });
    this.keptBytes += bytes;
    while (this.kept.length > this.capacity || (this.kept.length > 1 && this.keptBytes > this.capacityBytes)) this.keptBytes -= (this.kept.shift() as { bytes: number }).bytes;
    for (const listener of this.listeners) listener(message);
  }

  /** The newest version, with its snapshot (undefined before the first publish). */
  latest(): SnapshotFullMessage | undefined {
    return this.current && { type: "full", epoch: this.epoch, version: this.version, hash: this.current.hash, snapshot: this.current.snapshot };
  }

  /** The deltas from version `from` of `epoch` to the newest; undefined when they are not all kept (the client needs the whole snapshot). */
  since(epoch: string, from: number): SnapshotDeltaMessage[] | undefined {
    if (epoch !== this.epoch || from > this.version) return undefined;
    if (from === this.version) return [];
    const first = this.kept[0]?.message.from;
    if (first === undefined || from < first) return undefined;
    return this.kept.slice(from - first).map((k) => k.message);
  }

  /** Calls listener with every new version's delta; returns the unsubscribe function. */
  subscribe(listener: (message: SnapshotDeltaMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
