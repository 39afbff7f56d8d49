import { TRPCError } from "@trpc/server";
import type { NodeSnapshot } from "@netatlas/core";
import { SnapshotInput } from "../model.js";
import { readProcedure } from "../trpc.js";
import { onlyNamespace } from "./only-namespace.js";

/**
 * No `.output()` check: what the agent reads from other processes is checked where it
 * enters, and the netlink decoders build the model's own types; validating ~0.5 MB
 * again was half of a warm request.
 */
export const snapshotProcedure = readProcedure
  .input(SnapshotInput)
  .query(async ({ ctx, input }): Promise<NodeSnapshot> => {
    const snapshot = await ctx.ports.snapshot({ maxAgeMs: input?.maxAgeMs });
    if (input?.netns === undefined) return snapshot;
    const one = onlyNamespace(snapshot, input.netns);
    if (!one) throw new TRPCError({ code: "NOT_FOUND", message: `netns: no namespace ${JSON.stringify(input.netns)} on node ${snapshot.node} (give its inode or one of its names)` });
    return one;
  });
