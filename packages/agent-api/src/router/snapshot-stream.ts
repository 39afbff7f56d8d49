import { tracked } from "@trpc/server";
import { parsePosition, positionOf, SnapshotStreamInput, type SnapshotDeltaMessage, type SnapshotHeartbeat } from "../stream-model.js";
import { readProcedure } from "../trpc.js";
import { Inbox } from "./inbox.js";

/** How often a quiet stream says it is alive; a client that hears nothing for two of these takes the agent for gone. */
export const DEFAULT_HEARTBEAT_MS = 5_000;

/**
 * The node's state as it changes, over SSE: the whole snapshot first (or, for a client
 * that says which version it holds, only the deltas after it, while they are kept), then
 * each new version's delta, and a heartbeat whenever the node was quiet for a while.
 * Each full or delta message carries "<epoch>:<version>" as its SSE id, so a reconnect
 * resumes where the client was.
 */
export const snapshotStreamProcedure = readProcedure.input(SnapshotStreamInput).subscription(async function* ({ ctx, input, signal }) {
  const { versions } = ctx.ports;
  const heartbeatMs = ctx.ports.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const inbox = new Inbox<SnapshotDeltaMessage>(signal);
  const unsubscribe = versions.subscribe(inbox.push);
  try {
    // What the node is now: without notifications (or without a change yet) only a read says.
    const now = versions.publish(await ctx.ports.snapshot({}));
    const held = input?.lastEventId ? parsePosition(input.lastEventId) : undefined;
    const missed = held && versions.since(held.epoch, held.version);
    let at = now.version;
    if (missed) for (const message of missed) yield tracked(positionOf(message), message);
    else yield tracked(positionOf(now), now);
    while (!signal?.aborted) {
      const next = inbox.shift();
      if (next) {
        if (next.version <= at) continue; // already sent from the catch-up
        at = next.version;
        yield tracked(positionOf(next), next);
        continue;
      }
      await inbox.wait(heartbeatMs);
      if (inbox.size > 0 || signal?.aborted) continue;
      // Quiet: a node read only on request (no notifications) is read now; a change comes as a delta first.
      const latest = versions.publish(await ctx.ports.snapshot({}));
      if (inbox.size > 0) continue;
      yield { type: "heartbeat", epoch: latest.epoch, version: latest.version, hash: latest.hash, at: new Date().toISOString(), intervalMs: heartbeatMs } satisfies SnapshotHeartbeat;
    }
  } finally {
    unsubscribe();
    inbox.close();
  }
});
