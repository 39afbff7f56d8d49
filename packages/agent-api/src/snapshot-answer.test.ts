import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { NodeSnapshot, type Route } from "@netatlas/core";
import type { AgentPorts } from "./ports.js";
import { aloneAnswer, answerAheadWhenQuiet } from "./snapshot-answer.js";
import { SnapshotVersions } from "./snapshot-versions.js";

const [recorded] = NodeSnapshot.array().parse(JSON.parse(readFileSync(new URL("../../core/test/fixtures/fleet-vxlan.json", import.meta.url), "utf8"))) as [NodeSnapshot];
const withRoute = (base: NodeSnapshot, n: number): NodeSnapshot => ({ ...base, routes: [...base.routes, { ...(base.routes[0] as Route), dst: `10.78.${n}.0/24`, via: "10.0.0.7" }] });
/** A snapshot object of its own (answers are kept per object, across tests). */
const fresh = (): NodeSnapshot => ({ ...recorded });

describe("answers made ahead of the ask", () => {
  let stringify: MockInstance<typeof JSON.stringify>;
  /** How many times `snapshot` itself (not a copy, not a delta) was serialised. */
  const serialised = (snapshot: NodeSnapshot) => stringify.mock.calls.filter(([value]) => value === snapshot).length;

  beforeEach(() => {
    vi.useFakeTimers();
    stringify = vi.spyOn(JSON, "stringify");
  });
  afterEach(() => {
    stringify.mockRestore();
    vi.useRealTimers();
  });

  it("makes the answer of a state that lasts, once, and the first ask sends it without serialising the snapshot again", async () => {
    const recorded = fresh();
    const versions = new SnapshotVersions();
    versions.publish(recorded);
    const stop = answerAheadWhenQuiet(versions, 1_000);
    vi.advanceTimersByTime(999);
    expect(serialised(recorded)).toBe(0);
    vi.advanceTimersByTime(1);
    expect(serialised(recorded)).toBe(1);
    const ports = { versions, snapshot: () => Promise.resolve(recorded) } as unknown as AgentPorts;
    const answer = JSON.parse(Buffer.concat(await aloneAnswer({ path: "snapshotFull" }, ports)).toString()) as [{ result: { data: { version: number; snapshot: NodeSnapshot } } }];
    expect(answer[0].result.data).toMatchObject({ type: "full", version: 1 });
    expect(answer[0].result.data.snapshot).toEqual(recorded);
    expect(serialised(recorded)).toBe(1);
    stop();
  });

  it("makes none while the node keeps changing, then only the state that lasts", () => {
    const recorded = fresh();
    const versions = new SnapshotVersions();
    versions.publish(recorded);
    const stop = answerAheadWhenQuiet(versions, 1_000);
    const states = [1, 2, 3, 4].map((n) => {
      vi.advanceTimersByTime(600);
      const next = withRoute(recorded, n);
      versions.publish(next);
      return next;
    });
    expect([recorded, ...states].map(serialised)).toEqual([0, 0, 0, 0, 0]);
    vi.advanceTimersByTime(1_000);
    expect([recorded, ...states].map(serialised)).toEqual([0, 0, 0, 0, 1]);
    stop();
  });

  it("waits again when the same state comes as a new object (a node read again), and makes the one that stays", () => {
    const [first, again] = [fresh(), fresh()];
    const versions = new SnapshotVersions();
    versions.publish(first);
    const stop = answerAheadWhenQuiet(versions, 1_000);
    vi.advanceTimersByTime(600);
    expect(versions.publish(again).version).toBe(1);
    vi.advanceTimersByTime(600);
    expect([first, again].map(serialised)).toEqual([0, 0]);
    vi.advanceTimersByTime(400);
    expect([first, again].map(serialised)).toEqual([0, 1]);
    stop();
  });

  it("makes nothing once stopped", () => {
    const recorded = fresh();
    const versions = new SnapshotVersions();
    versions.publish(recorded);
    answerAheadWhenQuiet(versions, 1_000)();
    const later = withRoute(recorded, 9);
    versions.publish(later);
    vi.advanceTimersByTime(5_000);
    expect([recorded, later].map(serialised)).toEqual([0, 0]);
  });
});
