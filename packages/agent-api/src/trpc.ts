import { initTRPC, TRPCError } from "@trpc/server";
import type { AnswerBudget } from "./answer-budget.js";
import type { Scope } from "./model.js";
import type { AgentPorts } from "./ports.js";
import { MAX_BATCH_CALLS } from "./request-limits.js";

export interface AgentContext {
  ports: AgentPorts;
  scope: Scope | null;
  /** What this request's answer may still take; absent for in-process callers, whose answers are not sent. */
  answer?: AnswerBudget;
}

/** The bearer token from an Authorization header, if any. */
export function bearerToken(header: string | string[] | null | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const m = value ? /^Bearer\s+(\S+)$/i.exec(value) : null;
  return m?.[1];
}

/** tRPC's refusal of a batch over maxBatchSize, which names neither the bound nor the way out. */
const TRPC_BATCH_TOO_LARGE = "Batch call exceeds maximum size";

const t = initTRPC.context<AgentContext>().create({
  // Stack traces go to the agent's log (the handler's onError), never to a client.
  isDev: false,
  sse: { ping: { enabled: true, intervalMs: 5_000 }, client: { reconnectAfterInactivityMs: 15_000 } },
  errorFormatter: ({ shape, error }) =>
    error.code === "BAD_REQUEST" && error.message === TRPC_BATCH_TOO_LARGE
      ? { ...shape, message: `a batch holds at most ${MAX_BATCH_CALLS} calls; send the rest in further requests (httpBatchLink maxItems: ${MAX_BATCH_CALLS})` }
      : shape,
});

/** Every answer is charged to its request's budget; subscriptions stream event by event and are not. */
const boundedAnswer = t.middleware(async ({ ctx, path, type, next }) => {
  const result = await next();
  if (result.ok && type !== "subscription") ctx.answer?.charge(path, result.data);
  return result;
});

export const router = t.router;
export const publicProcedure = t.procedure.use(boundedAnswer);

/** Any valid token. A missing or wrong one is 401 and says nothing more. */
export const readProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.scope) throw new TRPCError({ code: "UNAUTHORIZED", message: "a valid bearer token is required" });
  return next({ ctx: { ...ctx, scope: ctx.scope } });
});

/** Only admin tokens: these procedures change the node or send traffic. */
export const adminProcedure = readProcedure.use(({ ctx, next }) => {
  if (ctx.scope !== "admin") throw new TRPCError({ code: "FORBIDDEN", message: "this procedure needs an admin token; the token given has read scope" });
  return next();
});
