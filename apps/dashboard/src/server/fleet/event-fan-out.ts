import type { AgentEvent } from "@netatlas/core";

type Listener<T> = (event: T) => void;

/**
 * Hands each event of a node to every listener that follows that node: the
 * dashboard holds one subscription per agent, however many pages are open (and
 * one bus to its peer replicas, however many nodes it serves from them).
 */
export class EventFanOut<T = AgentEvent> {
  private readonly listeners = new Map<string, Set<Listener<T>>>();

  /** Calls `listener` with each new event of `node` until the returned function is called. */
  subscribe(node: string, listener: Listener<T>): () => void {
    let set = this.listeners.get(node);
    if (!set) this.listeners.set(node, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (!set.size && this.listeners.get(node) === set) this.listeners.delete(node);
    };
  }

  publish(node: string, event: T): void {
    for (const listener of this.listeners.get(node) ?? []) listener(event);
  }

  /** Streams open on `node` (for tests and health). */
  followers(node: string): number {
    return this.listeners.get(node)?.size ?? 0;
  }
}
