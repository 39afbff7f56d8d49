import { fetch as undiciFetch } from "undici";
import { boundedResponse } from "./bounded-response.js";
import { agentEndpoint, DEFAULT_MAX_ANSWER_BYTES, type AgentClientOptions } from "./client.js";

/** A lone call's answer as it came: its text (the batch link's `[{"result":{"data":…}}]`) and the call's data parsed from it. */
export interface LoneAnswer {
  text: string;
  data: unknown;
}

/** The agent has no such procedure: an older netatlas. */
export class NoSuchProcedureError extends Error {
  override name = "NoSuchProcedureError";
}

type BatchItem = { result?: { data?: unknown }; error?: { message?: unknown; data?: { code?: unknown } } };

/** Where a lone call's data is in its answer's JSON (the batch link's form): keys, and array indexes as strings. */
export const LONE_DATA_PATH: readonly string[] = ["0", "result", "data"];

/** The call's data in a lone call's answer text (see `loneQuery`). */
export function loneData(text: string): unknown {
  return LONE_DATA_PATH.reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], JSON.parse(text) as unknown);
}

export type LoneQuery = (path: string, input: unknown) => Promise<LoneAnswer>;

/**
 * Queries of one agent, each alone in its request as the client's batch link sends it (and
 * as the agent answers `snapshot` and `snapshotFull`, from JSON made once), keeping the
 * answer's text: a caller that hands the data on (to another thread) can pass that text
 * instead of serialising the data again. Bounded and timed as the client's queries are;
 * an error answer is thrown with the agent's message, NoSuchProcedureError when it lacks
 * the procedure.
 */
export function loneQueries(options: AgentClientOptions): LoneQuery {
  const { baseUrl, dispatcher } = agentEndpoint(options.url);
  return (path, input) => loneQuery(options, `${baseUrl}/${path}?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: input }))}`, dispatcher);
}

async function loneQuery(options: AgentClientOptions, url: string, dispatcher: ReturnType<typeof agentEndpoint>["dispatcher"]): Promise<LoneAnswer> {
  const what = `agent ${options.url}`;
  const headers: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
  const response = await undiciFetch(url, { headers, dispatcher, signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
  const text = await boundedResponse(response as unknown as Response, options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES, what).text();
  let item: BatchItem | undefined;
  try {
    item = (JSON.parse(text) as BatchItem[])[0];
  } catch {
    throw new Error(`${what}: HTTP ${response.status} with an answer that is not JSON; is this a netatlas agent's address?`);
  }
  if (response.ok && item?.result) return { text, data: item.result.data };
  const message = typeof item?.error?.message === "string" ? item.error.message : `HTTP ${response.status}`;
  if (item?.error?.data?.code === "NOT_FOUND" && /procedure/i.test(message)) throw new NoSuchProcedureError(`${what}: ${message}`);
  throw new Error(`${what}: ${message}`);
}
