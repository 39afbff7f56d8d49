import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { CallerRefused, hasBearer, type ResolvedCaller } from "../auth/caller";
import { changeRefusal } from "../http/same-origin";
import type { Runtime } from "../runtime";
import { requestCaller } from "./request-caller";

/**
 * Before any body is read: a change that does not come as JSON (and, without a bearer
 * token, from the dashboard's own pages) is refused for every call in it. Then who asks:
 * a session or an API token, checked in one place (auth/caller.ts).
 */
export async function createContext(rt: Runtime, { req, resHeaders }: { req: Request; resHeaders: Headers }) {
  const refusal = changeRefusal(req, rt.config.trustedProxies, hasBearer(req));
  if (refusal) throw new TRPCError(refusal);
  let caller: ResolvedCaller | undefined;
  try {
    caller = await requestCaller(rt, req);
  } catch (error) {
    if (!(error instanceof CallerRefused)) throw error;
    if (error.retryAfterSeconds) resHeaders.set("retry-after", String(error.retryAfterSeconds));
    throw new TRPCError({ code: error.code, message: error.message });
  }
  return { rt, req, resHeaders, caller };
}
export type Context = Awaited<ReturnType<typeof createContext>>;

const t = initTRPC.context<Context>().create({
  // No stack traces to clients, whatever NODE_ENV says; the server's log keeps them.
  isDev: false,
  // Field errors go back as {field: message} so the form can show each next to its input.
  errorFormatter({ shape, error }) {
    // A failure nobody meant may carry internals (a failed query's SQL): the client gets a plain message, the log the rest.
    if (error.code === "INTERNAL_SERVER_ERROR") return { ...shape, message: "the dashboard failed to answer; its log says why", data: { ...shape.data, fieldErrors: undefined } };
    if (!(error.cause instanceof ZodError)) return { ...shape, data: { ...shape.data, fieldErrors: undefined } };
    const fieldErrors = Object.fromEntries(error.cause.issues.map((i) => [i.path.join(".") || "form", i.message]));
    return { ...shape, message: Object.entries(fieldErrors).map(([field, message]) => `${field}: ${message}`).join("; "), data: { ...shape.data, fieldErrors } };
  },
});

export const router = t.router;
export const publicProcedure = t.procedure;

/** Reading the fleet needs a signed-in session or an API token. */
export const signedInProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.caller) throw new TRPCError({ code: "UNAUTHORIZED", message: "sign in first" });
  return next({ ctx: { ...ctx, caller: ctx.caller } });
});

/** "you are signed in as alice (viewer, read-only)", "the API token \"ci\" of alice has the viewer role (read-only)". */
function readOnlyReason(caller: ResolvedCaller): string {
  if (caller.token) return `the API token "${caller.token.name}" of ${caller.user} has the ${caller.role} role (read-only)`;
  return caller.user === caller.role ? `you are signed in as ${caller.role} (read-only)` : `you are signed in as ${caller.user} (${caller.role}, read-only)`;
}

/** Changing anything needs the admin role. */
export const adminProcedure = signedInProcedure.use(({ ctx, next }) => {
  if (ctx.caller.role !== "admin") throw new TRPCError({ code: "FORBIDDEN", message: `this needs the admin role; ${readOnlyReason(ctx.caller)}` });
  return next();
});
