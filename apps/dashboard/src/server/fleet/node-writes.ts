import type { AgentEvent, Finding } from "@netatlas/core";
import type { NodeStateRecord } from "../store/snapshot-store";

/** Where what the dashboard learns of its nodes goes (the database); failures there are logged, never stop following. */
export interface FleetSink {
  /** A new state of the node (with the delta from the state written before it, when there is one). */
  state(node: string, state: NodeStateRecord, findings: Finding[]): Promise<void>;
  /** The agent said the node's state is still the one written last. */
  unchanged(node: string, at: Date): Promise<void>;
  seen(node: string, at: Date, error: string | undefined): Promise<void>;
  events(node: string, events: AgentEvent[]): Promise<void>;
}

/** "Still there" is written at most this often per node: the page shows it live from memory. */
const SEEN_WRITE_MS = 30_000;

/**
 * One node's writes, in order. A state that arrives while one is written waits, and a
 * later one replaces it (the store then writes that one whole: its delta does not
 * follow the state stored last). A whole snapshot is written in its turn (`turnForWhole`,
 * which hands back the turn's release): its ~0.5 MB of jsonb costs the database tens of
 * ms on the event loop that streams and other nodes' first snapshots need (the node is
 * shown from memory meanwhile).
 */
export class NodeWrites {
  private pending: { state: NodeStateRecord; findings: Finding[] } | undefined;
  private draining: Promise<void> | undefined;
  /** The last "seen" write asked for. */
  private visit: Promise<unknown> = Promise.resolve();
  private seenWrittenAt = -Infinity;
  private errorWritten: string | undefined;

  constructor(
    private readonly node: string,
    private readonly sink: FleetSink | undefined,
    private readonly log: (message: string) => void,
    private readonly now: () => number,
    /** Waits for a whole snapshot's turn to be written; the function it gives ends the turn. */
    private readonly turnForWhole: () => Promise<() => void> = () => Promise.resolve(() => undefined),
  ) {}

  state(state: NodeStateRecord, findings: Finding[]): void {
    this.pending = { state, findings };
    this.kick();
  }

  /** The agent answered: written when it last failed, or when "seen" was last written a while ago. */
  seen(error: string | undefined, unchangedAt?: Date): void {
    const now = this.now();
    if (error === this.errorWritten && now - this.seenWrittenAt < SEEN_WRITE_MS) return;
    this.seenWrittenAt = now;
    this.errorWritten = error;
    const unchanged = unchangedAt && this.safely(() => this.sink?.unchanged(this.node, unchangedAt));
    this.visit = Promise.all([unchanged, this.safely(() => this.sink?.seen(this.node, new Date(now), error))]);
  }

  events(events: AgentEvent[]): void {
    void this.safely(() => this.sink?.events(this.node, events));
  }

  /** A state of the node is waiting to be written, or being written. */
  get behind(): boolean {
    return this.draining !== undefined || this.pending !== undefined;
  }

  /** Resolves once every write asked for so far has ended. */
  async settled(): Promise<void> {
    while (this.draining) await this.draining;
    await this.visit;
  }

  private kick(): void {
    if (this.draining) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.pending) this.kick();
    });
  }

  private async drain(): Promise<void> {
    for (let next = this.pending; next; next = this.pending) {
      const endTurn = next.state.delta ? undefined : await this.turnForWhole();
      // A newer state may have come while it waited: it is the one to write.
      next = this.pending ?? next;
      this.pending = undefined;
      const { state, findings } = next;
      try {
        await this.safely(() => this.sink?.state(this.node, state, findings));
      } finally {
        endTurn?.();
      }
    }
  }

  private async safely(write: () => Promise<void> | undefined): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (error) {
      this.log(`dashboard database: ${(error as Error).message}`);
      return false;
    }
  }
}
