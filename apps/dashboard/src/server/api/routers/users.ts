import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { NewUser, UserName } from "../../auth/account";
import { Role } from "../../auth/role";
import { addUser, listUsers, removeUser, setUserRole } from "../../auth/user-store";
import { audit } from "../../store/audit-store";
import { adminProcedure, router } from "../trpc";

const noSuchUser = (name: string) => new TRPCError({ code: "NOT_FOUND", message: `name: no user is named "${name}"` });

/** Named users, managed by an admin (the bootstrap accounts of the environment passwords are not among them). */
export const usersRouter = router({
  list: adminProcedure.query(({ ctx }) => listUsers(ctx.rt.database.db)),
  add: adminProcedure.input(NewUser).mutation(async ({ ctx, input }) => {
    const user = await addUser(ctx.rt.database.db, input);
    if (!user) throw new TRPCError({ code: "CONFLICT", message: `name: a user named "${input.name}" already exists` });
    await audit(ctx.rt.database.db, { actor: ctx.caller.actor, action: "add-user", target: input.name, detail: { role: input.role } });
    return user;
  }),
  /** Their sessions end and their tokens are revoked with them. */
  remove: adminProcedure.input(z.object({ name: UserName }).strict()).mutation(async ({ ctx, input }) => {
    if (!(await removeUser(ctx.rt.database.db, input.name))) throw noSuchUser(input.name);
    await audit(ctx.rt.database.db, { actor: ctx.caller.actor, action: "remove-user", target: input.name });
    return { ok: true };
  }),
  setRole: adminProcedure.input(z.object({ name: UserName, role: Role }).strict()).mutation(async ({ ctx, input }) => {
    if (!(await setUserRole(ctx.rt.database.db, input.name, input.role))) throw noSuchUser(input.name);
    await audit(ctx.rt.database.db, { actor: ctx.caller.actor, action: "set-role", target: input.name, detail: { role: input.role } });
    return { ok: true };
  }),
});
