import { initTRPC, TRPCError } from "@trpc/server";
import type { Scope } from "./model.js";
import type { AgentPorts } from "./ports.js";

export interface AgentContext {
  ports: AgentPorts;
  scope: Scope | null;
}

/** The bearer token from an Authorization header, if any. */
export function bearerToken(header: string | string[] | null | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const m = value ? /^Bearer\s+(\S+)$/i.exec(value) : null;
  return m?.[1];
}

const t = initTRPC.context<AgentContext>().create({
  sse: { ping: { enabled: true, intervalMs: 5_000 }, client: { reconnectAfterInactivityMs: 15_000 } },
});

export const router = t.router;
export const publicProcedure = t.procedure;

/** Any valid token. A missing or wrong one is 401 and says nothing more. */
export const readProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.scope) throw new TRPCError({ code: "UNAUTHORIZED", message: "a valid bearer token is required" });
  return next({ ctx: { ...ctx, scope: ctx.scope } });
});

/** Only admin tokens: these procedures change the node or send traffic. */
export const adminProcedure = readProcedure.use(({ ctx, next }) => {
  if (ctx.scope !== "admin") throw new TRPCError({ code: "FORBIDDEN", message: "this procedure needs an admin token; the token given has read scope" });
  return next();
});
