import { describe, expect, it } from "vitest";
import type { AgentEvent } from "@netatlas/core";
import { EventFanOut } from "./event-fan-out";
import { eventSseStream, replayAfter } from "./event-sse";

const event = (seq: number): AgentEvent => ({ seq, at: new Date(1_700_000_000_000 + seq).toISOString(), node: "node1", kind: "route", action: "added", subject: `10.244.${seq}.0/24` });

/** Collects everything the stream sends, from now until it ends. */
function collect(stream: ReadableStream<Uint8Array>): { text: () => string; ids: () => Promise<string[]> } {
  let text = "";
  const reader = stream.getReader();
  void (async () => {
    for (let next = await reader.read(); !next.done; next = await reader.read()) text += new TextDecoder().decode(next.value);
  })();
  return {
    text: () => text,
    // The ids of the SSE frames sent so far, after the stream's pending writes are read.
    ids: async () => {
      await new Promise((r) => setTimeout(r, 10));
      return [...text.matchAll(/^id: (\d+)$/gm)].map((m) => m[1] as string);
    },
  };
}

describe("live events over SSE", () => {
  it("replays the recent events, then pushes each new one of its node as it arrives", async () => {
    const fanOut = new EventFanOut();
    const abort = new AbortController();
    const sent = collect(eventSseStream({ recent: [event(1), event(2)], subscribe: (l) => fanOut.subscribe("node1", l), signal: abort.signal }));
    expect(await sent.ids()).toEqual(["1", "2"]);
    fanOut.publish("node1", event(3));
    fanOut.publish("node2", event(4));
    expect(await sent.ids()).toEqual(["1", "2", "3"]);
    expect(sent.text()).toContain(`event: agent-event\ndata: ${JSON.stringify(event(3))}\n\n`);
    abort.abort();
    expect(fanOut.followers("node1")).toBe(0);
  });

  it("resumes a reconnecting browser after the last event it saw", () => {
    const recent = [event(5), event(6), event(7)];
    expect(replayAfter(recent, "6")).toEqual([event(7)]);
    expect(replayAfter(recent, null)).toEqual(recent);
    // The agent restarted and counts again from 1: everything recent once more.
    expect(replayAfter(recent, "42")).toEqual(recent);
  });

  it("sends a heartbeat comment while nothing happens", async () => {
    const abort = new AbortController();
    const sent = collect(eventSseStream({ recent: [], subscribe: () => () => undefined, signal: abort.signal, heartbeatMs: 5 }));
    await new Promise((r) => setTimeout(r, 30));
    expect(sent.text()).toMatch(/^: ping$/m);
    abort.abort();
  });
});
