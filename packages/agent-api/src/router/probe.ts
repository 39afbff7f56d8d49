import { TRPCError } from "@trpc/server";
import { ProbeInput, ProbeRefusedError, ProbeResult } from "../probe-model.js";
import { adminProcedure } from "../trpc.js";

/** Sends real packets from inside a namespace, so admin only; to fleet addresses only. */
export const probeProcedure = adminProcedure
  .input(ProbeInput)
  .output(ProbeResult)
  .mutation(async ({ ctx, input }) => {
    try {
      return await ctx.ports.probe(input);
    } catch (error) {
      if (error instanceof ProbeRefusedError) throw new TRPCError({ code: error.field === "netns" ? "NOT_FOUND" : "FORBIDDEN", message: `${error.field}: ${error.message}` });
      throw error;
    }
  });
