import type { AgentEvent } from "@netatlas/core";

export interface EventSseOptions {
  /** The node's recent events, oldest first. */
  recent: readonly AgentEvent[];
  /** The seq the browser saw last (its Last-Event-ID after a reconnect). */
  lastEventId?: string | null;
  /** Starts live delivery; returns the function that stops it. */
  subscribe: (listener: (event: AgentEvent) => void) => () => void;
  /** The request's: the stream ends when the browser goes. */
  signal: AbortSignal;
  /** A comment line this often keeps proxies from closing an idle stream. */
  heartbeatMs?: number;
  /** Called once when the stream ends, whichever side ended it. */
  onEnd?: () => void;
}

const encoder = new TextEncoder();
const frame = (event: AgentEvent) => encoder.encode(`id: ${event.seq}\nevent: agent-event\ndata: ${JSON.stringify(event)}\n\n`);

/**
 * What to replay to a browser that connects: everything recent on a first
 * connect, only what came after its last seq on a reconnect — unless that seq
 * is no longer among the recent (the agent restarted and counts from 1 again),
 * when it gets everything recent once more and drops what it already shows.
 */
export function replayAfter(recent: readonly AgentEvent[], lastEventId: string | null | undefined): readonly AgentEvent[] {
  if (!lastEventId || !/^\d+$/.test(lastEventId)) return recent;
  const at = recent.findIndex((e) => e.seq === Number(lastEventId));
  return at === -1 ? recent : recent.slice(at + 1);
}

/**
 * A node's agent events as a server-sent event stream (`text/event-stream`):
 * the replay, then each event as the dashboard's subscription to the agent
 * receives it, with the event's seq as the SSE id so that EventSource resumes
 * after a reconnect.
 */
export function eventSseStream(options: EventSseOptions): ReadableStream<Uint8Array> {
  let stop = () => undefined as void;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      // Both in one synchronous step: events arrive from network callbacks, so none falls between them.
      const unsubscribe = options.subscribe((event) => controller.enqueue(frame(event)));
      controller.enqueue(encoder.encode(": netatlas live events\nretry: 1000\n\n"));
      for (const event of replayAfter(options.recent, options.lastEventId)) controller.enqueue(frame(event));
      const heartbeat = setInterval(() => controller.enqueue(encoder.encode(": ping\n\n")), options.heartbeatMs ?? 15_000);
      stop = () => {
        clearInterval(heartbeat);
        unsubscribe();
        stop = () => undefined;
        options.onEnd?.();
      };
      options.signal.addEventListener("abort", () => {
        stop();
        try {
          controller.close();
        } catch {
          // Already closed by the reader's cancel.
        }
      }, { once: true });
    },
    cancel() {
      stop();
    },
  });
}
