import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { createApiToken, listApiTokens, liveApiTokenNamed, NewApiToken, revokeApiToken } from "../../auth/api-tokens";
import { roleCovers } from "../../auth/role";
import { audit } from "../../store/audit-store";
import { router, signedInProcedure } from "../trpc";
import { rowNumber } from "../row-id";

const DAY_MS = 86_400_000;

/** Personal API tokens: everyone manages their own, an admin sees and revokes everyone's. */
export const tokensRouter = router({
  /** A token for the caller, in their role or a lower one; the answer is the only place the token ever appears. */
  create: signedInProcedure.input(NewApiToken).mutation(async ({ ctx, input }) => {
    const { db } = ctx.rt.database;
    const role = input.role ?? ctx.caller.role;
    if (!roleCovers(ctx.caller.role, role)) throw new TRPCError({ code: "FORBIDDEN", message: `role: ${ctx.caller.user} acts as ${ctx.caller.role} and cannot make an ${role} token; choose ${ctx.caller.role}` });
    const now = new Date();
    let expiresAt = input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * DAY_MS) : null;
    // A token made with a token expires no later than it: a leaked token cannot outlive itself through the tokens it makes.
    const limit = ctx.caller.token?.expiresAt;
    if (limit && (!expiresAt || expiresAt > limit)) expiresAt = limit;
    if (await liveApiTokenNamed(db, ctx.caller.user, input.name, now)) throw new TRPCError({ code: "CONFLICT", message: `name: you already have a token named "${input.name}"; revoke it or choose another name` });
    const { token, view } = await createApiToken(db, ctx.caller.user, { name: input.name, role, expiresAt });
    await audit(db, { actor: ctx.caller.actor, action: "create-token", target: "dashboard", detail: { token: view.id, name: view.name, role: view.role, expiresAt: view.expiresAt } });
    return { token, ...view };
  }),
  /** The caller's own tokens (an admin: everyone's), newest first, with their state; never a token itself. */
  list: signedInProcedure.query(({ ctx }) => listApiTokens(ctx.rt.database.db, ctx.caller.role === "admin" ? undefined : ctx.caller.user)),
  revoke: signedInProcedure.input(z.object({ id: rowNumber("id (a token's number)") }).strict()).mutation(async ({ ctx, input }) => {
    const { db } = ctx.rt.database;
    const anyones = ctx.caller.role === "admin";
    const revoked = await revokeApiToken(db, input.id, anyones ? undefined : ctx.caller.user);
    if (!revoked) throw new TRPCError({ code: "NOT_FOUND", message: `id: there is no API token ${input.id}${anyones ? "" : " of yours"}` });
    await audit(db, { actor: ctx.caller.actor, action: "revoke-token", target: "dashboard", detail: { token: revoked.id, name: revoked.name, user: revoked.user } });
    return revoked;
  }),
});
