import type { HttpAnswer } from "./http-target.js";
import { HTTP_LAYER_REFUSALS, trpcError, type ProcedureType } from "./trpc-call.js";

/** An answer the fuzz accepts: a 200 with its data, or a typed 4xx. */
export type Judged = { ok: true; kind: "output"; data: unknown } | { ok: true; kind: "refused" } | { ok: false; problem: string };

/**
 * Whether a service answered a call as it must, whatever the input: a valid output
 * (200 with tRPC's `result`), or a typed refusal (4xx with tRPC's error code and no stack
 * trace; the HTTP layer's own 413/414/431 count too). Anything else names what is wrong.
 */
export function judgeAnswer(type: ProcedureType, answer: HttpAnswer): Judged {
  if (answer.status === 200) {
    if (type === "subscription") return { ok: true, kind: "output", data: undefined };
    try {
      const result = (JSON.parse(answer.body) as { result?: { data?: unknown } }).result;
      return result ? { ok: true, kind: "output", data: result.data } : { ok: false, problem: "a 200 without tRPC's result" };
    } catch {
      return { ok: false, problem: "a 200 that is not JSON" };
    }
  }
  if (answer.status < 400 || answer.status >= 500) return { ok: false, problem: `status ${answer.status}: not a refusal of the input` };
  if (type === "subscription" || HTTP_LAYER_REFUSALS.has(answer.status)) return { ok: true, kind: "refused" };
  const error = trpcError(answer);
  if (!error?.data?.code) return { ok: false, problem: "a 4xx without tRPC's error code" };
  if (error.data.stack) return { ok: false, problem: "a stack trace reached the client" };
  return { ok: true, kind: "refused" };
}
