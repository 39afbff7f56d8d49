import { createAgentClient, snapshotHash } from "@netatlas/agent-api";
import { AgentEvent, NodeSnapshot } from "@netatlas/core";
import { TRPCClientError } from "@trpc/client";
import type { AgentTarget } from "../agent-target";
import { checkedAnswer, SnapshotAnswer } from "./agent-answer";

/** What the poller needs from one agent; a seam so that tests can stand in for agents. */
export interface AgentConnection {
  /** The node's snapshot, or only its hash when it equals `knownHash`. */
  snapshot(knownHash?: string): Promise<SnapshotAnswer>;
  /** Follows the agent's event stream (resuming after reconnects) until the returned function is called. */
  follow(onEvent: (event: AgentEvent) => void, onError: (error: Error) => void): () => void;
}

/** An agent from before `snapshotIfChanged` answers NOT_FOUND for the procedure itself. */
const lacksProcedure = (error: unknown) => error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === "NOT_FOUND" && /procedure/i.test(error.message);

/** Every answer and event is checked against the model here, where it enters the dashboard. */
export function connectAgent(target: AgentTarget, timeoutMs: number, maxAnswerBytes: number, log: (message: string) => void = (m) => console.error(m)): AgentConnection {
  const client = createAgentClient({ url: target.url, token: target.token, timeoutMs, maxAnswerBytes });
  let older = false;
  const full = async (): Promise<SnapshotAnswer> => {
    const snapshot = checkedAnswer(NodeSnapshot, await client.snapshot.query({ maxAgeMs: 1_000 }), "its snapshot");
    return { hash: snapshotHash(snapshot), collectedAt: snapshot.collectedAt, snapshot };
  };
  return {
    async snapshot(knownHash) {
      if (older) return full();
      let answer: unknown;
      try {
        answer = await client.snapshotIfChanged.query({ knownHash, maxAgeMs: 1_000 });
      } catch (error) {
        if (!lacksProcedure(error)) throw error;
        older = true;
        return full();
      }
      return checkedAnswer(SnapshotAnswer, answer, "its snapshot");
    },
    follow(onEvent, onError) {
      const subscription = client.events.subscribe(undefined, {
        onData: (tracked) => {
          // One bad event is dropped; the stream and the node's polls go on.
          try {
            onEvent(checkedAnswer(AgentEvent, tracked.data, "an event"));
          } catch (error) {
            log(`agent ${target.name}: ${(error as Error).message}; dropped`);
          }
        },
        onError: (error) => onError(error instanceof Error ? error : new Error(String(error))),
      });
      return () => subscription.unsubscribe();
    },
  };
}
