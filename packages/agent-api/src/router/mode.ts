import { z } from "zod";
import { AgentInfo } from "../model.js";
import { adminProcedure } from "../trpc.js";

export const AgentMode = AgentInfo.shape.mode;

/** Switches between observing and repairing drift; admin only, since repair changes the node. */
export const setModeProcedure = adminProcedure
  .input(z.object({ mode: AgentMode }).strict())
  .output(AgentInfo)
  .mutation(async ({ ctx, input }) => {
    await ctx.ports.setMode(input.mode);
    return ctx.ports.info();
  });
