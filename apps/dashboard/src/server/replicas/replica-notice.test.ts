import { describe, expect, it } from "vitest";
import { MAX_NOTICE_BYTES, noticePayload, ReplicaNotice } from "./replica-notice";

const event = { seq: 3, at: "2026-01-01T10:00:00Z", node: "node1", kind: "link" as const, action: "changed" as const, subject: "eth0", detail: "mtu 1500 -> 1450" };

describe("noticePayload", () => {
  it("sends a notice whole when it fits, and a peer reads it back as it was", () => {
    const notice: ReplicaNotice = { kind: "event", from: "r1", node: "node1", event };
    expect(ReplicaNotice.parse(JSON.parse(noticePayload(notice)!))).toEqual(notice);
  });

  it("drops an event's detail, and cuts a long error, to stay under PostgreSQL's 8000-byte payload bound", () => {
    const big = noticePayload({ kind: "event", from: "r1", node: "node1", event: { ...event, detail: "x".repeat(10_000) } });
    expect(JSON.parse(big!).event).toEqual({ ...event, detail: undefined });
    const error = noticePayload({ kind: "seen", from: "r1", node: "node1", error: "é".repeat(5_000) })!;
    expect(Buffer.byteLength(error)).toBeLessThanOrEqual(MAX_NOTICE_BYTES);
    expect(JSON.parse(error).error).toMatch(/^é{2000}…$/);
  });

  it("gives up on a notice that cannot be made to fit", () => {
    expect(noticePayload({ kind: "event", from: "r1", node: "node1", event: { ...event, subject: "s".repeat(9_000) } })).toBeUndefined();
  });
});
