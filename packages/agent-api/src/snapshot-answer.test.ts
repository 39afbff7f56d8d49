import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { NodeSnapshot, type Route } from "@netatlas/core";
import type { AgentPorts } from "./ports.js";
import { aloneAnswer, answerAheadWhenQuiet } from "./snapshot-answer.js";
import { SnapshotVersions } from "./snapshot-versions.js";

const [recorded] = NodeSnapshot.array().parse(JSON.parse(readFileSync(new URL("../../core/test/fixtures/fleet-vxlan.json", import.meta.url), "utf8"))) as [NodeSnapshot];
const withRoute = (base: NodeSnapshot, n: number): NodeSnapshot => ({ ...base, routes: [...base.routes, { ...(base.routes[0] as Route), dst: `10.78.${n}.0/24`, via: "10.0.0.7" }] });
/** A snapshot object of its own. */
const fresh = (): NodeSnapshot => ({ ...recorded });
const portsOver = (versions: SnapshotVersions, snapshot: NodeSnapshot) => ({ versions, snapshot: () => Promise.resolve(snapshot) }) as unknown as AgentPorts;
/** A node whose first state is published, its answers made ahead after 1 s. */
const quietNode = () => {
  const first = fresh();
  const versions = new SnapshotVersions();
  versions.publish(first);
  return { first, versions, stop: answerAheadWhenQuiet(versions, 1_000) };
};
/** A lone answer's data (the batch link's form). */
const answerData = (parts: Buffer[]) => (JSON.parse(Buffer.concat(parts).toString()) as [{ result: { data: unknown } }])[0].result.data;

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
    const { first: recorded, versions, stop } = quietNode();
    vi.advanceTimersByTime(999);
    expect(serialised(recorded)).toBe(0);
    vi.advanceTimersByTime(1);
    expect(serialised(recorded)).toBe(1);
    expect(answerData(await aloneAnswer({ path: "snapshotFull" }, portsOver(versions, recorded)))).toMatchObject({ type: "full", version: 1, snapshot: recorded });
    expect(serialised(recorded)).toBe(1);
    stop();
  });

  it("makes none while the node keeps changing, then only the state that lasts", () => {
    const { first: recorded, versions, stop } = quietNode();
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

  it("answers the same state read again (a new object, a new collectedAt) from the JSON made, with its own collectedAt", async () => {
    const { first, versions, stop } = quietNode();
    vi.advanceTimersByTime(1_000);
    expect(serialised(first)).toBe(1);
    // Read again: shorter and longer timestamps than the first, so the copy's bytes move.
    for (const collectedAt of ["2027-01-01T00:00:00Z", "2027-01-01T00:00:00.123456+00:00"]) {
      const again = { ...first, collectedAt };
      expect(answerData(await aloneAnswer({ path: "snapshotFull" }, portsOver(versions, again)))).toMatchObject({ version: 1, snapshot: again });
      expect(answerData(await aloneAnswer({ path: "snapshot" }, portsOver(versions, again)))).toEqual(again);
      expect(serialised(again)).toBe(0);
    }
    stop();
  });

  it("serialises a state again whose keys come in another order, or which is another state", async () => {
    const first = fresh();
    const versions = new SnapshotVersions();
    const ports = portsOver(versions, first);
    await aloneAnswer({ path: "snapshotFull" }, ports);
    const { collectedAt: _at, ...rest } = first;
    const reordered = { collectedAt: "2027-02-02T00:00:00.000Z", ...rest } as NodeSnapshot;
    const other = withRoute(first, 5);
    for (const next of [reordered, other]) {
      expect(answerData(await aloneAnswer({ path: "snapshot" }, portsOver(versions, next)))).toEqual(next);
      expect(serialised(next)).toBe(1);
    }
  });

  it("lets go of a state's JSON once a newer state is published", async () => {
    const { first, versions, stop } = quietNode();
    vi.advanceTimersByTime(1_000);
    versions.publish(withRoute(first, 6));
    // The first state back (another object): made anew, not copied from JSON still held.
    const back = { ...first, collectedAt: "2027-03-03T00:00:00.000Z" };
    expect(answerData(await aloneAnswer({ path: "snapshot" }, portsOver(versions, back)))).toEqual(back);
    expect(serialised(back)).toBe(1);
    stop();
  });

  it("makes nothing once stopped", () => {
    const { first: recorded, versions, stop } = quietNode();
    stop();
    const later = withRoute(recorded, 9);
    versions.publish(later);
    vi.advanceTimersByTime(5_000);
    expect([recorded, later].map(serialised)).toEqual([0, 0]);
  });
});
