import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { cookieValue, sessionRole, SESSION_COOKIE } from "../auth/sessions";
import { runtime, type Runtime } from "../runtime";

export async function createContext({ req, resHeaders }: { req: Request; resHeaders: Headers }) {
  const rt = await runtime();
  const sessionToken = cookieValue(req.headers.get("cookie"), SESSION_COOKIE);
  const role = await sessionRole(rt.database.db, sessionToken);
  return { rt, req, resHeaders, sessionToken, role };
}
export type Context = Awaited<ReturnType<typeof createContext>> & { rt: Runtime };

const t = initTRPC.context<Context>().create({
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
