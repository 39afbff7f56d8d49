import { tracked } from "@trpc/server";
import type { AgentEvent } from "@netatlas/core";
import { EventsInput } from "../model.js";
import { readProcedure } from "../trpc.js";

/**
 * The node's changes as they happen, over SSE. Each event carries its seq as the
 * SSE id, so a client that reconnects gets what it missed (while the agent still
 * keeps it) and then the live stream, without duplicates.
 */
export const eventsProcedure = readProcedure.input(EventsInput).subscription(async function* ({ ctx, input, signal }) {
  const { events } = ctx.ports;
  const pending: AgentEvent[] = [];
  let wake: (() => void) | undefined;
  const unsubscribe = events.subscribe((event) => {
    pending.push(event);
    wake?.();
  });
  // One abort listener for the whole stream: one per wait would pile up on a busy node (and Node warns at 11).
  const onAbort = () => wake?.();
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    let last = input?.lastEventId ? Number(input.lastEventId) : events.latestSeq();
    for (const event of events.since(last)) {
      last = event.seq;
      yield tracked(String(event.seq), event);
    }
    while (!signal?.aborted) {
      const next = pending.shift();
      if (!next) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      if (next.seq <= last) continue; // already sent from the replay
      last = next.seq;
      yield tracked(String(next.seq), next);
    }
  } finally {
    unsubscribe();
    signal?.removeEventListener("abort", onAbort);
  }
});
