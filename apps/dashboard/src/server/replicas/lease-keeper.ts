import type { Db } from "../db/open";
import type { Leadership } from "./leadership";
import { planLeases } from "./lease-plan";
import { claimLease, releaseLeases, renewLeases, takenByOthers } from "./lease-store";
import { liveReplicas } from "./replica-store";

export interface LeaseKeeperOptions {
  db: Db;
  replicaId: string;
  /** How long a lease lasts unrenewed; renewed every ttl/3. */
  ttlMs: number;
  /** The fleet's node names now. */
  nodes: () => readonly string[];
  log?: (message: string) => void;
  now?: () => number;
}

/**
 * Holds this replica's fair share of agent leases in PostgreSQL: every ttl/3 it renews what it
 * holds, gives back what is above its share, and claims free or expired leases up to it.
 * It leads a node only while its lease is surely unexpired: a round that could not renew
 * leaves the lead at most `ttlMs` after the last round that did, which is no later than the
 * database lets another replica claim it.
 */
export class LeaseKeeper implements Leadership {
  readonly replicaId: string;
  private held = new Set<string>();
  private validUntil = 0;
  private readonly listeners: ((nodes: string[]) => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private readonly now: () => number;
  private readonly log: (message: string) => void;

  constructor(private readonly options: LeaseKeeperOptions) {
    this.replicaId = options.replicaId;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? ((m) => console.error(m));
  }

  leads(node: string): boolean {
    return this.held.has(node) && this.now() < this.validUntil;
  }

  ledCount(): number {
    return this.now() < this.validUntil ? this.held.size : 0;
  }

  onChange(listener: (nodes: string[]) => void): void {
    this.listeners.push(listener);
  }

  /** The first round is awaited, so that the replica starts with its share. */
  async start(): Promise<void> {
    await this.renewOnce();
    this.timer ??= setInterval(() => void this.renewOnce(), this.options.ttlMs / 3);
    this.timer.unref();
  }

  /** Gives every lease back, for the other replicas to claim at their next round instead of after the ttl. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.round;
    this.held = new Set();
    await releaseLeases(this.options.db, this.replicaId);
  }

  /** One round (a round still running is awaited instead of overlapped). */
  renewOnce(): Promise<void> {
    this.round ??= this.leaseRound().finally(() => (this.round = undefined));
    return this.round;
  }

  private async leaseRound(): Promise<void> {
    const { db, replicaId, ttlMs } = this.options;
    const startedAt = this.now();
    try {
      const mine = await renewLeases(db, replicaId, [...this.held], ttlMs);
      const [live, taken] = await Promise.all([liveReplicas(db, ttlMs), takenByOthers(db, replicaId)]);
      const plan = planLeases({ nodes: this.options.nodes(), live: live.length + (live.includes(replicaId) ? 0 : 1), mine, taken }, Math.floor(Math.random() * 2 ** 31));
      await releaseLeases(db, replicaId, plan.release);
      const claimed: string[] = [];
      for (const node of plan.candidates) {
        if (claimed.length >= plan.want) break;
        if (await claimLease(db, replicaId, node, ttlMs)) claimed.push(node);
      }
      // Every lease held now was written after `startedAt`: none expires before startedAt + ttl.
      this.validUntil = startedAt + ttlMs;
      const released = new Set(plan.release);
      this.update(new Set([...mine.filter((n) => !released.has(n)), ...claimed]));
    } catch (error) {
      const lapsed = this.now() >= this.validUntil;
      this.log(`replica ${replicaId}: agent leases could not be renewed: ${(error as Error).message}; ${lapsed ? "they lapsed, so this replica leads no node until it can renew" : "they hold until their ttl"}`);
      if (lapsed) this.update(new Set());
    }
  }

  private update(next: Set<string>): void {
    const moved = [...[...next].filter((n) => !this.held.has(n)), ...[...this.held].filter((n) => !next.has(n))];
    this.held = next;
    if (!moved.length) return;
    for (const listener of this.listeners) {
      try {
        listener(moved);
      } catch (error) {
        this.log(`replica ${this.replicaId}: a lead change listener failed: ${(error as Error).message}`);
      }
    }
  }
}
