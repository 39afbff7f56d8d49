import { createAgentClient, snapshotHash } from "@netatlas/agent-api";
import type { AgentEvent, NodeSnapshot } from "@netatlas/core";
import { TRPCClientError } from "@trpc/client";
import type { AgentTarget } from "../agent-target";

/** An agent's answer to "has anything changed since `hash`?": the snapshot only when it has. */
export interface SnapshotAnswer {
  hash: string;
  collectedAt: string;
  snapshot: NodeSnapshot | null;
}

/** What the poller needs from one agent; a seam so that tests can stand in for agents. */
export interface AgentConnection {
  /** The node's snapshot, or only its hash when it equals `knownHash`. */
  snapshot(knownHash?: string): Promise<SnapshotAnswer>;
  /** Follows the agent's event stream (resuming after reconnects) until the returned function is called. */
  follow(onEvent: (event: AgentEvent) => void, onError: (error: Error) => void): () => void;
}

/** An agent from before `snapshotIfChanged` answers NOT_FOUND for the procedure itself. */
const lacksProcedure = (error: unknown) => error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === "NOT_FOUND" && /procedure/i.test(error.message);

export function connectAgent(target: AgentTarget, timeoutMs: number): AgentConnection {
  const client = createAgentClient({ url: target.url, token: target.token, timeoutMs });
  let older = false;
  const full = async (): Promise<SnapshotAnswer> => {
    const snapshot = await client.snapshot.query({ maxAgeMs: 1_000 });
    return { hash: snapshotHash(snapshot), collectedAt: snapshot.collectedAt, snapshot };
  };
  return {
    async snapshot(knownHash) {
      if (older) return full();
      try {
        return await client.snapshotIfChanged.query({ knownHash, maxAgeMs: 1_000 });
      } catch (error) {
        if (!lacksProcedure(error)) throw error;
        older = true;
        return full();
      }
    },
    follow(onEvent, onError) {
      const subscription = client.events.subscribe(undefined, {
        onData: (tracked) => onEvent(tracked.data),
        onError: (error) => onError(error instanceof Error ? error : new Error(String(error))),
      });
      return () => subscription.unsubscribe();
    },
  };
}
