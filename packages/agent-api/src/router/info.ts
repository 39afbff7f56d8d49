import { AgentInfo } from "../model.js";
import { readProcedure } from "../trpc.js";

export const infoProcedure = readProcedure.output(AgentInfo).query(({ ctx }) => ctx.ports.info());
