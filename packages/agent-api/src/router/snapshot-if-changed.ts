import { snapshotHash } from "@netatlas/core";
import { SnapshotIfChangedInput, type SnapshotIfChangedAnswer } from "../model.js";
import { readProcedure } from "../trpc.js";

/**
 * The node's snapshot only when its content differs from the one the caller
 * holds (by `snapshotHash`): a poller that asks every few seconds sends ~0.5 MB
 * only after a change, and a few bytes otherwise.
 */
export const snapshotIfChangedProcedure = readProcedure
  .input(SnapshotIfChangedInput)
  .query(async ({ ctx, input }): Promise<SnapshotIfChangedAnswer> => {
    const snapshot = await ctx.ports.snapshot({ maxAgeMs: input.maxAgeMs });
    const hash = snapshotHash(snapshot);
    return { hash, collectedAt: snapshot.collectedAt, snapshot: hash === input.knownHash ? null : snapshot };
  });
