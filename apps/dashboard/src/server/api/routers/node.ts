import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { fleetRow } from "../../../fleet/aggregate";
import { NodeName } from "../../agent-target";
import { toNodeView } from "../node-views";
import { router, signedInProcedure } from "../trpc";
import type { Runtime } from "../../runtime";

const ByName = z.object({ name: NodeName }).strict();

function stateOf(rt: Runtime, name: string) {
  const state = rt.poller.node(name);
  if (!state) throw new TRPCError({ code: "NOT_FOUND", message: `node "${name}" is not in the fleet; add it on the Fleet page or in NETATLAS_AGENTS` });
  return state;
}

export const nodeRouter = router({
  get: signedInProcedure.input(ByName).query(({ ctx, input }) => {
    const view = toNodeView(stateOf(ctx.rt, input.name));
    return { row: fleetRow(view, Date.now(), ctx.rt.config.pollIntervalMs), snapshot: view.snapshot ?? null, findings: view.findings };
  }),
});
