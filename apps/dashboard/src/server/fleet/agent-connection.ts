import { createAgentClient, loneQueries, SnapshotIfChangedAnswer, SnapshotStreamMessage, type LoneQuery } from "@netatlas/agent-api";
import { AgentEvent, NodeSnapshot, snapshotHash } from "@netatlas/core";
import { TRPCClientError } from "@trpc/client";
import type { AgentTarget } from "../agent-target";
import { checkedAnswer } from "./agent-answer";
import type { SnapshotIntake } from "./intake/snapshot-intake";
import { StreamUnsupportedError } from "./node-stream";
import { askWholeSnapshot, type WholeSnapshot } from "./whole-snapshot";

/** What the dashboard needs from one agent; a seam so that tests (and a replica's peers) can stand in for agents. */
export interface AgentConnection {
  /** The fallback for an agent that cannot stream: the node's snapshot, or only its hash when it equals `knownHash`. */
  snapshot(knownHash?: string): Promise<SnapshotIfChangedAnswer>;
  /**
   * The stream's first message as a plain answer (the whole snapshot and its position), to
   * open the stream from; undefined when the agent has no such call (an older netatlas: its
   * stream sends the whole snapshot first instead). Absent: the stream is opened at once.
   */
  full?(): Promise<WholeSnapshot | undefined>;
  /**
   * The node's state as it changes: the whole snapshot first (or, resuming after `from`,
   * "<epoch>:<version>", the deltas since), then deltas and heartbeats; each message
   * checked. `onError` when the stream fails (StreamUnsupportedError: the agent has none).
   */
  stream(from: string | undefined, onMessage: (message: SnapshotStreamMessage) => void, onError: (error: Error) => void): () => void;
  /** Follows the agent's event stream (resuming after reconnects) until the returned function is called. */
  follow(onEvent: (event: AgentEvent) => void, onError: (error: Error) => void): () => void;
}

/** An agent from before a procedure answers NOT_FOUND for the procedure itself. */
const lacksProcedure = (error: unknown) => error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === "NOT_FOUND" && /procedure/i.test(error.message);

/**
 * The same for a subscription: over SSE the client never reads the error's body, only the
 * status of the stream's response ("Non-200 status code (404)"), and an agent's tRPC answers
 * 404 only for a procedure it lacks. Anything else that answers 404 is no agent: the polls
 * then say so ("HTTP 404, is this a netatlas agent's address?").
 */
const lacksStream = (error: unknown) => lacksProcedure(error) || (error instanceof TRPCClientError && (error.cause as { code?: unknown } | undefined)?.code === 404);

/** A tracked message reaches the client as { id, data }; an untracked one (a heartbeat) as itself. */
const untracked = (value: unknown) => (typeof value === "object" && value !== null && "id" in value && "data" in value && !("type" in value) ? (value as { data: unknown }).data : value);

/**
 * Every answer and event is checked against the model here, where it enters the dashboard;
 * whole snapshots on the `intake`'s thread when there is one.
 */
export function connectAgent(target: AgentTarget, timeoutMs: number, maxAnswerBytes: number, log: (message: string) => void = (m) => console.error(m), intake?: SnapshotIntake): AgentConnection {
  const client = createAgentClient({ url: target.url, token: target.token, timeoutMs, maxAnswerBytes });
  let older = false;
  let noFull = false;
  let wholeQuery: LoneQuery | undefined;
  const full = async (): Promise<SnapshotIfChangedAnswer> => {
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
      return checkedAnswer(SnapshotIfChangedAnswer, answer, "its snapshot");
    },
    async full() {
      if (noFull) return undefined;
      const whole = intake ? await intake.whole(target, { timeoutMs, maxAnswerBytes }) : (await askWholeSnapshot((wholeQuery ??= loneQueries({ url: target.url, token: target.token, timeoutMs, maxAnswerBytes }))))?.message;
      noFull = !whole;
      return whole;
    },
    stream(from, onMessage, onError) {
      let ended = false;
      const unsupportedOr = (error: Error) => (lacksStream(error) ? new StreamUnsupportedError(`agent ${target.name} has no snapshot stream (an older netatlas agent); it is polled`) : error);
      const end = (error: Error) => {
        if (ended) return;
        ended = true;
        subscription.unsubscribe();
        onError(error);
      };
      const subscription = client.snapshotStream.subscribe(
        { lastEventId: from },
        {
          onData: (value) => {
            let message: SnapshotStreamMessage;
            try {
              message = checkedAnswer(SnapshotStreamMessage, untracked(value), "its snapshot stream");
            } catch (error) {
              // A message that does not fit leaves the state held unknown: the stream starts over.
              return end(error as Error);
            }
            onMessage(message);
          },
          onError: (error) => end(unsupportedOr(error)),
          // The link would retry by itself; the caller's backoff decides instead, and says why.
          onConnectionStateChange: (state) => void (state.state === "connecting" && state.error && end(unsupportedOr(state.error))),
        },
      );
      return () => {
        ended = true;
        subscription.unsubscribe();
      };
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
