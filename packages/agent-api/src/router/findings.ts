import { z } from "zod";
import { Finding, nodeFindings } from "@netatlas/core";
import { readProcedure } from "../trpc.js";

export const findingsProcedure = readProcedure.output(z.array(Finding)).query(async ({ ctx }) => nodeFindings(await ctx.ports.snapshot({})));
