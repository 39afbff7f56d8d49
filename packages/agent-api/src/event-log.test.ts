import { describe, expect, it } from "vitest";
import { EventLog } from "./event-log.js";

describe("the event log", () => {
  it("keeps at least the last `capacity` events, at most twice that, and resumes after any kept seq", () => {
    const log = new EventLog("node-a", 3);
    for (let i = 0; i < 10; i++) log.append({ kind: "route", action: "added", subject: `10.0.${i}.0/24` });
    const kept = log.since(0).map((e) => e.seq);
    expect(kept.slice(-3)).toEqual([8, 9, 10]);
    expect(kept.length).toBeLessThan(6);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => 11 - kept.length + i));
    expect(log.since(8).map((e) => e.seq)).toEqual([9, 10]);
    expect(log.since(10)).toEqual([]);
    expect(log.latestSeq()).toBe(10);
  });
});
