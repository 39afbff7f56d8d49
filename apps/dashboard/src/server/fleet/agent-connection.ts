import { createAgentClient } from "@netatlas/agent-api";
import type { AgentEvent, NodeSnapshot } from "@netatlas/core";
import type { AgentTarget } from "../agent-target";

/** What the poller needs from one agent; a seam so that tests can stand in for agents. */
export interface AgentConnection {
  snapshot(): Promise<NodeSnapshot>;
  /** Follows the agent's event stream (resuming after reconnects) until the returned function is called. */
  follow(onEvent: (event: AgentEvent) => void, onError: (error: Error) => void): () => void;
}

export function connectAgent(target: AgentTarget, timeoutMs: number): AgentConnection {
  const client = createAgentClient({ url: target.url, token: target.token, timeoutMs });
  return {
    snapshot: () => client.snapshot.query({ maxAgeMs: 1_000 }),
    follow(onEvent, onError) {
      const subscription = client.events.subscribe(undefined, {
        onData: (tracked) => onEvent(tracked.data),
        onError: (error) => onError(error instanceof Error ? error : new Error(String(error))),
      });
      return () => subscription.unsubscribe();
    },
  };
}
