import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { cookieValue, sessionRole, SESSION_COOKIE } from "../auth/sessions";
import { changeRefusal } from "../http/same-origin";
import type { Runtime } from "../runtime";

/** Before any body is read: a change that does not come as JSON from the dashboard's own pages is refused for every call in it. */
export async function createContext(rt: Runtime, { req, resHeaders }: { req: Request; resHeaders: Headers }) {
  const refusal = changeRefusal(req, rt.config.trustedProxies);
  if (refusal) throw new TRPCError(refusal);
  const sessionToken = cookieValue(req.headers.get("cookie"), SESSION_COOKIE);
  const role = await sessionRole(rt.database.db, sessionToken);
  return { rt, req, resHeaders, sessionToken, role };
}
export type Context = Awaited<ReturnType<typeof createContext>>;

const t = initTRPC.context<Context>().create({
  // No stack traces to clients, whatever NODE_ENV says; the server's log keeps them.
  isDev: false,
  // Field errors go back as {field: message} so the form can show each next to its input.
  errorFormatter({ shape, error }) {
    if (!(error.cause instanceof ZodError)) return { ...shape, data: { ...shape.data, fieldErrors: undefined } };
    const fieldErrors = Object.fromEntries(error.cause.issues.map((i) => [i.path.join(".") || "form", i.message]));
    return { ...shape, message: Object.entries(fieldErrors).map(([field, message]) => `${field}: ${message}`).join("; "), data: { ...shape.data, fieldErrors } };
  },
});

export const router = t.router;
export const publicProcedure = t.procedure;

/** Reading the fleet needs a signed-in session. */
export const signedInProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.role) throw new TRPCError({ code: "UNAUTHORIZED", message: "sign in first" });
  return next({ ctx: { ...ctx, role: ctx.role } });
});

/** Changing anything needs the admin role. */
export const adminProcedure = signedInProcedure.use(({ ctx, next }) => {
  if (ctx.role !== "admin") throw new TRPCError({ code: "FORBIDDEN", message: `this needs the admin role; you are signed in as ${ctx.role} (read-only)` });
  return next();
});
