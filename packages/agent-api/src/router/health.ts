import { Health } from "../model.js";
import { publicProcedure } from "../trpc.js";

/** Liveness without a token, for probes and load balancers. */
export const healthProcedure = publicProcedure.output(Health).query(({ ctx }) => ({
  status: "ok" as const,
  node: ctx.ports.info().node,
  uptimeSeconds: Math.round((Date.now() - ctx.ports.startedAt) / 1000),
}));
