import { httpAsk, type HttpAnswer, type HttpTarget } from "./http-target.js";
import { inputJson } from "./schema-arbitrary.js";

export type ProcedureType = "query" | "mutation" | "subscription";

/** tRPC's error shape as its HTTP adapters send it (no transformer). */
export interface TrpcErrorBody {
  error: { message: string; code: number; data?: { code?: string; httpStatus?: number; stack?: string } };
}

/**
 * Calls one procedure as a client would, but with any input at all (no typed
 * client in the way): GET with `?input=` for queries, POST with a JSON body for mutations.
 */
export function callProcedure(target: HttpTarget, base: string, name: string, type: ProcedureType, input: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  const encoded = input === undefined ? "" : `?input=${encodeURIComponent(inputJson(input))}`;
  if (type === "mutation") {
    return httpAsk(target, { method: "POST", path: `${base}/${name}`, headers: { "content-type": "application/json", ...headers }, body: input === undefined ? "" : inputJson(input) });
  }
  return httpAsk(target, { method: "GET", path: `${base}/${name}${encoded}`, headers, headersOnly: type === "subscription" });
}

/** The error of an answer, when it is tRPC's typed one. */
export function trpcError(answer: HttpAnswer): TrpcErrorBody["error"] | undefined {
  try {
    const body = JSON.parse(answer.body) as TrpcErrorBody | TrpcErrorBody[];
    const one = Array.isArray(body) ? body[0] : body;
    return one?.error;
  } catch {
    return undefined;
  }
}

/**
 * Refusals the HTTP layer makes before tRPC sees the request (a URL or headers too
 * large: 431, 414; a body too large: 413): plain text, and still a clear, typed answer.
 */
export const HTTP_LAYER_REFUSALS: ReadonlySet<number> = new Set([413, 414, 431]);
