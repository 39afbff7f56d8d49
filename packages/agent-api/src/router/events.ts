import { tracked } from "@trpc/server";
import type { AgentEvent } from "@netatlas/core";
import { EventsInput } from "../model.js";
import { readProcedure } from "../trpc.js";
import { Inbox } from "./inbox.js";

/**
 * The node's changes as they happen, over SSE. Each event carries its seq as the
 * SSE id, so a client that reconnects gets what it missed (while the agent still
 * keeps it) and then the live stream, without duplicates.
 */
export const eventsProcedure = readProcedure.input(EventsInput).subscription(async function* ({ ctx, input, signal }) {
  const { events } = ctx.ports;
  const inbox = new Inbox<AgentEvent>(signal);
  const unsubscribe = events.subscribe(inbox.push);
  try {
    let last = input?.lastEventId ? Number(input.lastEventId) : events.latestSeq();
    for (const event of events.since(last)) {
      last = event.seq;
      yield tracked(String(event.seq), event);
    }
    while (!signal?.aborted) {
      const next = inbox.shift();
      if (!next) {
        await inbox.wait();
        continue;
      }
      if (next.seq <= last) continue; // already sent from the replay
      last = next.seq;
      yield tracked(String(next.seq), next);
    }
  } finally {
    unsubscribe();
    inbox.close();
  }
});
