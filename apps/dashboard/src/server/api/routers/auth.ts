import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { adminPasswordIsSet, setFirstAdminPassword } from "../../auth/admin-password";
import type { Role } from "../../auth/role";
import { clearedSessionCookie, createSession, endSession, sessionCookie } from "../../auth/sessions";
import { signInRole } from "../../auth/sign-in-role";
import { clientAddress } from "../../http/client-address";
import { audit } from "../../store/audit-store";
import { publicProcedure, router, type Context } from "../trpc";

const Password = z.object({ password: z.string().min(8, "the password needs at least 8 characters").max(256, "the password has at most 256 characters") }).strict();

async function signIn(ctx: Context, role: Role) {
  const { token, expiresAt } = await createSession(ctx.rt.database.db, role);
  ctx.resHeaders.append("set-cookie", sessionCookie(token, expiresAt, new URL(ctx.req.url).protocol === "https:"));
}

export const authRouter = router({
  status: publicProcedure.query(async ({ ctx }) => ({
    signedIn: !!ctx.role,
    role: ctx.role ?? null,
    needsSetup: !(await adminPasswordIsSet(ctx.rt.database.db, ctx.rt.config.adminPassword)),
  })),
  /** First start without NETATLAS_ADMIN_PASSWORD: the first person sets it. */
  setup: publicProcedure.input(Password).mutation(async ({ ctx, input }) => {
    if (ctx.rt.config.adminPassword || !(await setFirstAdminPassword(ctx.rt.database.db, input.password))) {
      throw new TRPCError({ code: "FORBIDDEN", message: "the admin password is already set; sign in with it" });
    }
    await audit(ctx.rt.database.db, { actor: "admin", action: "set-admin-password", target: "dashboard" });
    await signIn(ctx, "admin");
    return { ok: true };
  }),
  /**
   * The password chooses the role; both outcomes are audited with the client's address.
   * Too many failures from one address, or from all together, and sign-in waits (429).
   */
  signIn: publicProcedure.input(Password.extend({ password: z.string().min(1, "enter your password").max(256) })).mutation(async ({ ctx, input }) => {
    const from = clientAddress(ctx.req.headers, ctx.rt.config.trustedProxies);
    const waitSeconds = ctx.rt.signInLimiter.begin(from);
    if (waitSeconds > 0) {
      ctx.resHeaders.set("retry-after", String(waitSeconds));
      throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: `too many sign-in attempts; try again in ${waitSeconds} s` });
    }
    const role = await signInRole(ctx.rt.database.db, ctx.rt.config, input.password);
    if (!role) {
      await audit(ctx.rt.database.db, { actor: "unknown", action: "sign-in-failed", target: "dashboard", detail: { reason: "wrong password", from } });
      throw new TRPCError({ code: "UNAUTHORIZED", message: "wrong password" });
    }
    ctx.rt.signInLimiter.succeeded(from);
    await signIn(ctx, role);
    await audit(ctx.rt.database.db, { actor: role, action: "sign-in", target: "dashboard", detail: { from } });
    return { ok: true, role };
  }),
  signOut: publicProcedure.mutation(async ({ ctx }) => {
    if (ctx.sessionToken) {
      await endSession(ctx.rt.database.db, ctx.sessionToken);
      ctx.rt.sessionEnds.ended(ctx.sessionToken);
    }
    if (ctx.role) await audit(ctx.rt.database.db, { actor: ctx.role, action: "sign-out", target: "dashboard" });
    ctx.resHeaders.append("set-cookie", clearedSessionCookie());
    return { ok: true };
  }),
});
