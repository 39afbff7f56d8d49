import type { AgentEvent } from "@netatlas/core";

type Listener = (event: AgentEvent) => void;

/**
 * Hands each agent event to every browser stream that follows its node: the
 * dashboard holds one subscription per agent, however many pages are open.
 */
export class EventFanOut {
  private readonly listeners = new Map<string, Set<Listener>>();

  /** Calls `listener` with each new event of `node` until the returned function is called. */
  subscribe(node: string, listener: Listener): () => void {
    let set = this.listeners.get(node);
    if (!set) this.listeners.set(node, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (!set.size && this.listeners.get(node) === set) this.listeners.delete(node);
    };
  }

  publish(node: string, event: AgentEvent): void {
    for (const listener of this.listeners.get(node) ?? []) listener(event);
  }

  /** Streams open on `node` (for tests and health). */
  followers(node: string): number {
    return this.listeners.get(node)?.size ?? 0;
  }
}
