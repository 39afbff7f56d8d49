import { httpAsk, type HttpAnswer, type HttpTarget } from "./http-target.js";
import { inputJson } from "./schema-arbitrary.js";

export type ProcedureType = "query" | "mutation" | "subscription";

/** tRPC's error shape as its HTTP adapters send it (no transformer). */
export interface TrpcErrorBody {
  error: { message: string; code: number; data?: { code?: string; httpStatus?: number; stack?: string } };
}

/** Node's default bound on a request's head (--max-http-header-size). */
const NODE_HEADER_LIMIT = 16 * 1024;

export interface CallOptions {
  /**
   * The server is one whose HTTP layer we do not own (Next.js' `next start`): past
   * Node's header bound it answers 431 and destroys the socket at once, so a client
   * still sending may see the reset before the answer. Such a reset counts as that
   * 431; our own agent must answer instead (its clientError handler ends gracefully).
   */
  headerOverflowMayReset?: boolean;
}

/**
 * Calls one procedure as a client would, but with any input at all (no typed
 * client in the way): GET with `?input=` for queries, POST with a JSON body for mutations.
 */
export async function callProcedure(target: HttpTarget, base: string, name: string, type: ProcedureType, input: unknown, headers: Record<string, string> = {}, options: CallOptions = {}): Promise<HttpAnswer> {
  const encoded = input === undefined ? "" : `?input=${encodeURIComponent(inputJson(input))}`;
  if (type === "mutation") {
    return httpAsk(target, { method: "POST", path: `${base}/${name}`, headers: { "content-type": "application/json", ...headers }, body: input === undefined ? "" : inputJson(input) });
  }
  const path = `${base}/${name}${encoded}`;
  try {
    return await httpAsk(target, { method: "GET", path, headers, headersOnly: type === "subscription" });
  } catch (error) {
    const reset = (error as NodeJS.ErrnoException).code === "ECONNRESET";
    if (reset && options.headerOverflowMayReset && path.length > NODE_HEADER_LIMIT) return { status: 431, headers: {}, body: "(the server reset the connection past its header bound)", bytes: 0, ms: 0 };
    throw error;
  }
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
