import { TRPCError } from "@trpc/server";
import { NodeSnapshot } from "@netatlas/core";
import { SnapshotInput } from "../model.js";
import { readProcedure } from "../trpc.js";
import { onlyNamespace } from "./only-namespace.js";

export const snapshotProcedure = readProcedure
  .input(SnapshotInput)
  .output(NodeSnapshot)
  .query(async ({ ctx, input }) => {
    const snapshot = await ctx.ports.snapshot({ maxAgeMs: input?.maxAgeMs });
    if (input?.netns === undefined) return snapshot;
    const one = onlyNamespace(snapshot, input.netns);
    if (!one) throw new TRPCError({ code: "NOT_FOUND", message: `netns: no namespace ${JSON.stringify(input.netns)} on node ${snapshot.node} (give its inode or one of its names)` });
    return one;
  });
