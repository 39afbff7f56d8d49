import type { AnyTRPCRouter } from "@trpc/server";
import type { z } from "zod";
import type { ProcedureType } from "./trpc-call.js";

export interface ProcedureShape {
  name: string;
  type: ProcedureType;
  /** The procedure's input schema (the last `.input()`), if it takes input. */
  input: z.ZodType | undefined;
}

/** Every procedure of a tRPC router, with its kind and input schema, nested routers flattened ("fleet.topology"). */
export function proceduresOf(router: AnyTRPCRouter): ProcedureShape[] {
  const procedures = router._def.procedures as Record<string, { _def: { type: ProcedureType; inputs: z.ZodType[] } }>;
  return Object.entries(procedures)
    .map(([name, procedure]) => ({ name, type: procedure._def.type, input: procedure._def.inputs.at(-1) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
