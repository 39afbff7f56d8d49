import { z } from "zod";
import { AgentInfo, ReconcileMode } from "../model.js";
import { adminProcedure } from "../trpc.js";

/** Switches between observing and repairing drift; admin only, since repair changes the node. */
export const setModeProcedure = adminProcedure
  .input(z.object({ mode: ReconcileMode }).strict())
  .output(AgentInfo)
  .mutation(async ({ ctx, input }) => {
    await ctx.ports.setMode(input.mode);
    return ctx.ports.info();
  });
