import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { Password } from "../../auth/account";
import type { Account } from "../../auth/account";
import { adminPasswordIsSet, setFirstAdminPassword } from "../../auth/admin-password";
import { clearedSessionCookie, createSession, endSession, sessionCookie } from "../../auth/sessions";
import { signInAccount } from "../../auth/sign-in-account";
import { clientAddress } from "../../http/client-address";
import { audit } from "../../store/audit-store";
import { storableText } from "../../text-input";
import { publicProcedure, router, signedInProcedure, type Context } from "../trpc";

const SignIn = z
  .object({
    /** A user's name; without it the password chooses a bootstrap account (admin, else viewer). */
    name: z.string().trim().min(1, "enter your user name, or leave it out for the admin or viewer password").max(64, "a user name has at most 64 characters").refine(storableText, "a user name has no NUL characters").optional(),
    password: z.string().min(1, "enter your password").max(256, "the password has at most 256 characters"),
  })
  .strict();

async function signIn(ctx: Context, account: Account) {
  const { token, expiresAt } = await createSession(ctx.rt.database.db, account);
  ctx.resHeaders.append("set-cookie", sessionCookie(token, expiresAt, new URL(ctx.req.url).protocol === "https:"));
}

export const authRouter = router({
  status: publicProcedure.query(async ({ ctx }) => ({
    signedIn: !!ctx.caller,
    user: ctx.caller?.user ?? null,
    role: ctx.caller?.role ?? null,
    needsSetup: !(await adminPasswordIsSet(ctx.rt.database.db, ctx.rt.config.adminPassword)),
  })),
  /** Who the session or API token acts for (the CLI's `netatlas login` checks a token with it). */
  whoami: signedInProcedure.query(({ ctx }) => ({ user: ctx.caller.user, role: ctx.caller.role, via: ctx.caller.via })),
  /** First start without NETATLAS_ADMIN_PASSWORD: the first person sets it. */
  setup: publicProcedure.input(z.object({ password: Password }).strict()).mutation(async ({ ctx, input }) => {
    if (ctx.rt.config.adminPassword || !(await setFirstAdminPassword(ctx.rt.database.db, input.password))) {
      throw new TRPCError({ code: "FORBIDDEN", message: "the admin password is already set; sign in with it" });
    }
    await audit(ctx.rt.database.db, { actor: "admin", action: "set-admin-password", target: "dashboard" });
    await signIn(ctx, { user: "admin", role: "admin" });
    return { ok: true };
  }),
  /**
   * A user's name and password, or (no name) a bootstrap password that chooses the
   * account; both outcomes are audited with the client's address. Too many failures
   * from one address, or from all together, and sign-in waits (429).
   */
  signIn: publicProcedure.input(SignIn).mutation(async ({ ctx, input }) => {
    const from = clientAddress(ctx.req.headers, ctx.rt.config.trustedProxies);
    const waitSeconds = ctx.rt.signInLimiter.begin(from);
    if (waitSeconds > 0) {
      ctx.resHeaders.set("retry-after", String(waitSeconds));
      throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: `too many sign-in attempts; try again in ${waitSeconds} s` });
    }
    const account = await signInAccount(ctx.rt.database.db, ctx.rt.config, input);
    if (!account) {
      const detail = { reason: input.name ? "wrong user name or password" : "wrong password", from, ...(input.name ? { name: input.name.slice(0, 64) } : {}) };
      await audit(ctx.rt.database.db, { actor: "unknown", action: "sign-in-failed", target: "dashboard", detail });
      throw new TRPCError({ code: "UNAUTHORIZED", message: detail.reason });
    }
    ctx.rt.signInLimiter.succeeded(from);
    await signIn(ctx, account);
    await audit(ctx.rt.database.db, { actor: account.user, action: "sign-in", target: "dashboard", detail: { from } });
    return { ok: true, user: account.user, role: account.role };
  }),
  signOut: publicProcedure.mutation(async ({ ctx }) => {
    const sessionToken = ctx.caller?.sessionToken;
    if (sessionToken) {
      await endSession(ctx.rt.database.db, sessionToken);
      ctx.rt.sessionEnds.ended(sessionToken);
      await audit(ctx.rt.database.db, { actor: ctx.caller?.actor ?? "unknown", action: "sign-out", target: "dashboard" });
    }
    ctx.resHeaders.append("set-cookie", clearedSessionCookie());
    return { ok: true };
  }),
});
