import type { AgentRouter } from "./root.js";

/**
 * What one HTTP request may cost the agent. tRPC answers a batch only once all
 * of its calls are done, as one JSON string built in memory, so without bounds a
 * single 2.7 KB GET of 300 `snapshot` calls built a 289 MB answer. The agent's
 * DaemonSet has 256Mi; with these bounds one token can hold at most
 * EXPENSIVE_REQUESTS_PER_TOKEN x MAX_ANSWER_CHARS = 32 MiB of answers (about
 * twice that while encoded for the socket).
 */

/** Calls in one batched request; our client's httpBatchLink splits larger batches (maxItems). */
export const MAX_BATCH_CALLS = 10;

/**
 * JSON characters (bytes, for the ASCII that answers nearly all are) all calls of
 * one request may answer with: 16 times a 110-pod node's ~0.5 MB snapshot.
 */
export const MAX_ANSWER_CHARS = 8 * 1024 * 1024;

/** Requests that call an expensive procedure, open at once for one token. */
export const EXPENSIVE_REQUESTS_PER_TOKEN = 4;

/**
 * Procedures that read the whole node, answer with it, or work for seconds. The
 * rest (health, info, reconcileStatus, setMode, and the streams, limited apart)
 * are never limited, so health answers in a flood.
 */
export const EXPENSIVE_PROCEDURES: ReadonlySet<string> = new Set<keyof AgentRouter["_def"]["record"]>(["snapshot", "snapshotIfChanged", "snapshotFull", "findings", "plan", "applyPlan", "probe"]);

/**
 * Streams open at once for one token. A stream lives long and holds a socket, a
 * listener and (the snapshot stream) a whole snapshot in its first message; a
 * dashboard holds two per agent (the snapshot stream and the events), and a few
 * more while it reconnects.
 */
export const STREAMS_PER_TOKEN = 8;

export const STREAM_PROCEDURES: ReadonlySet<string> = new Set<keyof AgentRouter["_def"]["record"]>(["snapshotStream", "events"]);
