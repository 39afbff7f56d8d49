import type { IncomingMessage, ServerResponse } from "node:http";
import { TRPCError } from "@trpc/server";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { AnswerBudget } from "./answer-budget.js";
import { PerTokenGate } from "./per-token-gate.js";
import type { AgentPorts } from "./ports.js";
import { EXPENSIVE_PROCEDURES, EXPENSIVE_REQUESTS_PER_TOKEN, MAX_ANSWER_CHARS, MAX_BATCH_CALLS, STREAM_PROCEDURES, STREAMS_PER_TOKEN } from "./request-limits.js";
import { createAgentRouter } from "./root.js";
import { aloneAnswer, snapshotCallAlone, type AloneCall } from "./snapshot-answer.js";
import { bearerToken } from "./trpc.js";

export const TRPC_BASE_PATH = "/trpc";

export interface AgentHttpHandlerOptions {
  /** Told of every call that failed in a way nobody meant (INTERNAL_SERVER_ERROR), with its stack: clients get only the message. */
  onUnexpectedError?: (error: TRPCError, path: string | undefined) => void;
}

/**
 * The agent's tRPC endpoint as a node:http handler for requests under /trpc: the
 * router with the given ports, each request's scope taken from its bearer token,
 * and each request's cost bounded (request-limits.ts).
 */
export function createAgentHttpHandler(ports: AgentPorts, options: AgentHttpHandlerOptions = {}): (req: IncomingMessage, res: ServerResponse) => void {
  const gate = new PerTokenGate(EXPENSIVE_REQUESTS_PER_TOKEN);
  const streams = new PerTokenGate(STREAMS_PER_TOKEN);
  const trpc = createHTTPHandler({
    router: createAgentRouter(),
    basePath: `${TRPC_BASE_PATH}/`,
    createContext: ({ req, res, info }) => {
      const token = bearerToken(req.headers.authorization);
      const scope = ports.authenticate(token);
      // A request without a valid token is refused by the procedures themselves, before any work.
      if (token && scope) {
        if (info.calls.some((call) => EXPENSIVE_PROCEDURES.has(call.path))) hold(gate, token, res, `this token already has ${EXPENSIVE_REQUESTS_PER_TOKEN} requests for ${[...EXPENSIVE_PROCEDURES].join(", ")} open; retry once one has answered`);
        if (info.calls.some((call) => STREAM_PROCEDURES.has(call.path))) hold(streams, token, res, `this token already has ${STREAMS_PER_TOKEN} streams (${[...STREAM_PROCEDURES].join(", ")}) open; close one first`);
      }
      return { ports, scope, answer: new AnswerBudget(MAX_ANSWER_CHARS) };
    },
    // Inputs are bounded by their schemas; this bounds the body before parsing.
    maxBodySize: 1024 * 1024,
    maxBatchSize: MAX_BATCH_CALLS,
    onError: ({ error, path }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") options.onUnexpectedError?.(error, path);
    },
  });
  return (req, res) => {
    const alone = snapshotCallAlone(req.method, req.url);
    const token = bearerToken(req.headers.authorization);
    if (!alone || !token || !ports.authenticate(token)) return trpc(req, res);
    answerSnapshotAlone(alone, token, req, res);
  };

  /**
   * The requests the dashboard and a poller send most (the whole snapshot, or the stream's
   * first message), answered with the snapshot's JSON as made once for that snapshot
   * object, instead of serialising ~0.5 MB again per request. Bounded as tRPC's answer
   * would be; anything else (a failure, an answer over the bound, no room at the gate)
   * goes to tRPC, which says what is wrong as it always does.
   */
  function answerSnapshotAlone(call: AloneCall, token: string, req: IncomingMessage, res: ServerResponse): void {
    const leave = gate.enter(token);
    if (!leave) return trpc(req, res);
    res.once("close", leave);
    // tRPC takes its own turn at the gate.
    const toTrpc = () => (leave(), trpc(req, res));
    aloneAnswer(call, ports).then(
      (parts) => {
        const length = parts.reduce((sum, part) => sum + part.length, 0);
        if (length > MAX_ANSWER_CHARS) return toTrpc();
        res.writeHead(200, { "content-type": "application/json", "content-length": length, vary: "trpc-accept, accept" });
        for (const part of parts.slice(0, -1)) res.write(part);
        res.end(parts.at(-1));
      },
      toTrpc,
    );
  }
}

/** Takes the token's turn at `gate` until the response ends (the answer's memory, or the stream, is held that long); refuses with 429 when it has none. */
function hold(gate: PerTokenGate, token: string, res: ServerResponse, refusal: string): void {
  const leave = gate.enter(token);
  if (!leave) throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: refusal });
  if (res.closed) leave();
  else res.once("close", leave);
}
