import { SnapshotFullInput, type SnapshotFullMessage } from "../stream-model.js";
import { readProcedure } from "../trpc.js";

/**
 * The snapshot stream's first message as a plain answer: the whole snapshot with its
 * epoch and version. A client that follows the node asks this first (alone in its
 * request, it is answered from the snapshot's JSON made once) and then opens the stream
 * from its position, which sends only what changed since: a dashboard that connects to
 * a fleet at once costs each agent one copy of its JSON, not an encoding per stream.
 */
export const snapshotFullProcedure = readProcedure.input(SnapshotFullInput).query(async ({ ctx, input }): Promise<SnapshotFullMessage> => ctx.ports.versions.publish(await ctx.ports.snapshot({ maxAgeMs: input?.maxAgeMs })));
