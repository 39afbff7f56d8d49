import type { AgentEvent, NetworkChange } from "@netatlas/core";
import type { EventSourcePort } from "./ports.js";

/** Numbers a node's changes and keeps at least the last `capacity` of them (at most twice that) for clients that reconnect. */
export class EventLog implements EventSourcePort {
  private readonly kept: AgentEvent[] = [];
  private readonly listeners = new Set<(event: AgentEvent) => void>();
  private seq = 0;

  constructor(
    private readonly node: string,
    private readonly capacity = 10_000,
  ) {}

  append(change: NetworkChange, at = new Date()): AgentEvent {
    const event: AgentEvent = { ...change, seq: ++this.seq, at: at.toISOString(), node: this.node };
    this.kept.push(event);
    // Trimmed in one go once twice over: shifting the array at every event cost a busy node ~1% of a core.
    if (this.kept.length >= 2 * this.capacity) this.kept.splice(0, this.kept.length - this.capacity);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  since(seq: number): AgentEvent[] {
    // seq numbers are dense, so the position of seq+1 is computable.
    const first = this.kept[0]?.seq ?? this.seq + 1;
    return this.kept.slice(Math.max(0, seq + 1 - first));
  }

  latestSeq(): number {
    return this.seq;
  }

  subscribe(listener: (event: AgentEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
