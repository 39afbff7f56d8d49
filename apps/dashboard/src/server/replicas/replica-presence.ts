import type { Db } from "../db/open";
import { stopOrphanedJobs } from "../reconcile/job-store";
import { heartbeat, leave } from "./replica-store";

export interface PresenceOptions {
  db: Db;
  id: string;
  /** A replica silent this long is gone: its apply job is stopped (and, with leases, its nodes taken over). */
  ttlMs: number;
  log?: (message: string) => void;
}

/**
 * Says in the database that this replica is alive, every ttl/3 (two beats may be lost before the
 * others count it gone), and after each beat stops the apply jobs of replicas that are gone.
 */
export class ReplicaPresence {
  private timer: NodeJS.Timeout | undefined;
  private readonly log: (message: string) => void;

  constructor(private readonly options: PresenceOptions) {
    this.log = options.log ?? ((m) => console.error(m));
  }

  /** The first beat is awaited: a replica that cannot write its heartbeat should not start at all. */
  async start(): Promise<void> {
    await this.beat();
    this.timer ??= setInterval(() => void this.beat().catch((error: Error) => this.log(`replica ${this.options.id}: heartbeat failed: ${error.message}; the other replicas count this one gone after ${this.options.ttlMs} ms without one`)), this.options.ttlMs / 3);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await leave(this.options.db, this.options.id);
  }

  private async beat(): Promise<void> {
    await heartbeat(this.options.db, this.options.id);
    const orphaned = await stopOrphanedJobs(this.options.db, this.options.id, this.options.ttlMs);
    if (orphaned) this.log(`netatlas dashboard: ${orphaned} apply job(s) ran in a replica that stopped during them; marked stopped`);
  }
}
