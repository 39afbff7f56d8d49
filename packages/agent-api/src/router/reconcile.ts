import { TRPCError } from "@trpc/server";
import { Plan } from "@netatlas/core";
import { ApplyInput, ApplyResult, DisruptiveOpsRefusedError, PlanInput, PlanOutdatedError, ReconcileStatus, UnknownPlanError } from "../reconcile-model.js";
import { adminProcedure, readProcedure } from "../trpc.js";

/** Computes what it would take to bring the node to the intent. Changes nothing (the dry run). */
export const planProcedure = adminProcedure
  .input(PlanInput)
  .output(Plan)
  .mutation(({ ctx, input }) => ctx.ports.reconcile.plan(input.intent));

/** Carries out a plan made before, if the node is still as it was when planned. */
export const applyProcedure = adminProcedure
  .input(ApplyInput)
  .output(ApplyResult)
  .mutation(async ({ ctx, input }) => {
    try {
      return await ctx.ports.reconcile.apply(input.planHash, { allowDisruptive: input.allowDisruptive });
    } catch (error) {
      if (error instanceof UnknownPlanError) throw new TRPCError({ code: "NOT_FOUND", message: `planHash: ${error.message}` });
      if (error instanceof PlanOutdatedError) throw new TRPCError({ code: "CONFLICT", message: `planHash: ${error.message}` });
      if (error instanceof DisruptiveOpsRefusedError) throw new TRPCError({ code: "PRECONDITION_FAILED", message: `allowDisruptive: ${error.message}` });
      throw error;
    }
  });

export const reconcileStatusProcedure = readProcedure.output(ReconcileStatus).query(({ ctx }) => ctx.ports.reconcile.status());
