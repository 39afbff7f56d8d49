import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { EventLog } from "../event-log.js";
import type { AgentPorts } from "../ports.js";
import { createAgentRouter } from "../root.js";

describe("the events subscription", () => {
  it("streams many events on one abort listener, and lets go of it when the client leaves", async () => {
    const events = new EventLog("node-a");
    const abort = new AbortController();
    const caller = createAgentRouter().createCaller({ ports: { events } as unknown as AgentPorts, scope: "read" }, { signal: abort.signal });
    // A tracked event reaches an in-process caller as [id, event, ...].
    const stream = (await caller.events()) as AsyncIterable<[string, { seq: number }]>;
    const seen: number[] = [];
    const reading = (async () => {
      for await (const [, event] of stream) seen.push(event.seq);
    })();
    for (let i = 0; i < 50; i++) {
      events.append({ kind: "route", action: "added", subject: `10.0.${i}.0/24` });
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(getEventListeners(abort.signal, "abort").length).toBeLessThanOrEqual(2);
    abort.abort();
    await reading;
  });
});
