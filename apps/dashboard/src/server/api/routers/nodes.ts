import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { AgentTargetInput, displayUrl, NodeName, withName } from "../../agent-target";
import { audit } from "../../store/audit-store";
import { removeNode, upsertNode } from "../../store/node-store";
import { adminProcedure, router } from "../trpc";

/** Adding and removing nodes from the UI (admin only, audited). */
export const nodesRouter = router({
  add: adminProcedure.input(AgentTargetInput).mutation(async ({ ctx, input }) => {
    const target = withName(input, "ui");
    if (ctx.rt.poller.node(target.name)) throw new TRPCError({ code: "CONFLICT", message: `name: a node named "${target.name}" is already in the fleet; choose another name` });
    await upsertNode(ctx.rt.database.db, target, ctx.rt.tokenSeal);
    await audit(ctx.rt.database.db, { actor: ctx.caller.actor, action: "add-node", target: target.name, detail: { url: displayUrl(target.url) } });
    await ctx.rt.refreshTargets();
    return { name: target.name };
  }),
  remove: adminProcedure.input(z.object({ name: NodeName }).strict()).mutation(async ({ ctx, input }) => {
    if (!(await removeNode(ctx.rt.database.db, input.name))) throw new TRPCError({ code: "NOT_FOUND", message: `node "${input.name}" is not stored (nodes discovered in Kubernetes cannot be removed here)` });
    await audit(ctx.rt.database.db, { actor: ctx.caller.actor, action: "remove-node", target: input.name });
    await ctx.rt.refreshTargets();
    return { ok: true };
  }),
});
