import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { EventSource } from "eventsource";
import { Agent, fetch as undiciFetch } from "undici";
import { boundedResponse } from "./bounded-response.js";
import type { AgentRouter } from "./root.js";
import { TRPC_BASE_PATH } from "./http-handler.js";
import { MAX_BATCH_CALLS } from "./request-limits.js";

export interface AgentClientOptions {
  /** `http://host:port`, `https://host:port` or `unix:/path/to/agent.sock`. */
  url: string;
  token?: string;
  /** Per-request bound for queries and mutations. */
  timeoutMs?: number;
  /** Bound on one answer's bytes (queries and mutations; 32 MiB by default): a larger one fails with AnswerTooLargeError. */
  maxAnswerBytes?: number;
}

/** A node of 110 pods answers ~0.5 MB; the agent itself refuses to build more than 8 MiB of answer per request. */
export const DEFAULT_MAX_ANSWER_BYTES = 32 * 1024 * 1024;

/** Where to send requests, and through which socket. */
export function agentEndpoint(url: string): { baseUrl: string; dispatcher?: Agent } {
  if (url.startsWith("unix:")) {
    const socketPath = url.slice("unix:".length);
    if (!socketPath.startsWith("/")) throw new Error(`agent url "${url}": a unix socket needs an absolute path (unix:/run/netatlas/agent.sock)`);
    return { baseUrl: `http://localhost${TRPC_BASE_PATH}`, dispatcher: new Agent({ connect: { socketPath } }) };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`agent url "${url}" is not a URL (expected http://host:port, https://host:port or unix:/path)`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error(`agent url "${url}": only http, https and unix are supported`);
  return { baseUrl: `${parsed.origin}${TRPC_BASE_PATH}` };
}

/** A typed client for one agent: queries batched over HTTP, `events` over SSE with resume. */
export function createAgentClient(options: AgentClientOptions) {
  const { baseUrl, dispatcher } = agentEndpoint(options.url);
  const authorization: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxAnswerBytes = options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
  const fetchWith = (input: string | URL | Request, init?: RequestInit, bounded = true) =>
    undiciFetch(input as string, {
      ...(init as object),
      headers: { ...Object.fromEntries(new Headers(init?.headers).entries()), ...authorization },
      dispatcher,
      signal: bounded ? AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(init?.signal ? [init.signal] : [])]) : init?.signal,
    }) as unknown as Promise<Response>;
  // An SSE stream is long by nature (each event is checked where it arrives); a query's answer is bounded.
  const boundedFetch = async (input: string | URL | Request, init?: RequestInit) => boundedResponse(await fetchWith(input, init), maxAnswerBytes, `agent ${options.url}`);

  return createTRPCClient<AgentRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({
          url: baseUrl,
          EventSource,
          // An SSE stream lives long: no timeout on it, only on each query.
          eventSourceOptions: () => ({ fetch: (input: string | URL | Request, init?: RequestInit) => fetchWith(input, init, false) }),
        }),
        false: httpBatchLink({ url: baseUrl, maxItems: MAX_BATCH_CALLS, fetch: (input, init) => boundedFetch(input as string, init as RequestInit) }),
      }),
    ],
  });
}

export type AgentClient = ReturnType<typeof createAgentClient>;
