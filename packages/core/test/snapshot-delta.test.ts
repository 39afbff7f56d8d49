import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applySnapshotDelta, isEmptyDelta, NodeSnapshot, SnapshotDelta, snapshotDelta, type Route } from "../src/index.js";
import { fixtureSnapshot } from "./fixture-snapshot.js";

/** A snapshot's content with every list in one order, so that two equal states compare equal. */
function canonical(snapshot: NodeSnapshot): unknown {
  return Object.fromEntries(
    Object.entries(snapshot)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, Array.isArray(v) ? v.map((e) => JSON.stringify(e)).sort() : v]),
  );
}

const LISTS = ["links", "addresses", "routes", "neighbors", "fdb", "pods", "namespaces"] as const;

/** One change a node could see: an entry of a list gone, changed (same identity) or new; a field set. */
const change = fc.oneof(
  fc.record({ op: fc.constant("remove" as const), list: fc.constantFrom(...LISTS), at: fc.nat() }),
  fc.record({ op: fc.constant("change" as const), list: fc.constantFrom(...LISTS), at: fc.nat() }),
  fc.record({ op: fc.constant("add-route" as const), n: fc.integer({ min: 0, max: 250 }) }),
  fc.record({ op: fc.constant("warning" as const), text: fc.string() }),
  fc.record({ op: fc.constant("drop-filter" as const) }),
);

type Change = { op: string; list?: (typeof LISTS)[number]; at?: number; n?: number; text?: string };

function mutate(base: NodeSnapshot, changes: readonly Change[]): NodeSnapshot {
  const next = structuredClone(base) as NodeSnapshot & Record<string, unknown>;
  for (const c of changes) {
    if (c.op === "add-route") next.routes = [...next.routes, { netns: (next.namespaces[0] as { id: number }).id, family: 4, dst: `10.99.${c.n}.0/24`, table: "main", type: "unicast", protocol: "static", scope: "universe", flags: [], via: "10.0.0.9" } as Route];
    else if (c.op === "warning") next.warnings = [...next.warnings, c.text as string];
    else if (c.op === "drop-filter") delete next.filter;
    else {
      const list = next[c.list as string] as unknown[];
      if (list.length === 0) continue;
      const at = (c.at as number) % list.length;
      if (c.op === "remove") list.splice(at, 1);
      // "changed" in a way every kind of entry has: a field the identity does not use.
      else list[at] = { ...(list[at] as object), changedForTest: true };
    }
  }
  return next;
}

describe("snapshot deltas", () => {
  const before = fixtureSnapshot();

  it("turn a snapshot into the next one, whatever changed (content equal, lists in any order)", () => {
    fc.assert(
      fc.property(fc.array(change, { maxLength: 12 }), (changes) => {
        const after = mutate(before, changes);
        const delta = snapshotDelta(before, after);
        expect(canonical(applySnapshotDelta(before, delta))).toEqual(canonical(after));
      }),
      { numRuns: 200 },
    );
  });

  it("send only what changed: one new route is one entry, the rest of the node is not in the delta", () => {
    const after = mutate(before, [{ op: "add-route", n: 7 }]);
    const delta = snapshotDelta(before, after);
    expect(delta.lists).toEqual({ routes: { put: [after.routes.at(-1)], removed: [] } });
    expect(delta.set).toEqual({});
    expect(JSON.stringify(delta).length).toBeLessThan(JSON.stringify(after).length / 50);
  });

  it("is empty between two reads of the same state, and valid against its schema", () => {
    const again = { ...structuredClone(before), collectedAt: "2026-12-04T20:00:00.000Z" };
    const delta = snapshotDelta(before, again);
    expect(isEmptyDelta(delta)).toBe(true);
    expect(applySnapshotDelta(before, delta).collectedAt).toBe(again.collectedAt);
    const changed = snapshotDelta(before, mutate(before, [{ op: "remove", list: "links", at: 3 }, { op: "drop-filter" }]));
    expect(SnapshotDelta.parse(changed)).toEqual(changed);
    expect(changed.set).toEqual({ filter: null });
  });

  it("sends a list whole when its keys are not unique (two routes the identity cannot tell apart)", () => {
    const route = before.routes[0] as Route;
    const twice = { ...before, routes: [...before.routes, { ...route, via: "10.200.0.1" }] };
    const delta = snapshotDelta(before, twice);
    expect(delta.replace.routes).toHaveLength(before.routes.length + 1);
    expect(canonical(applySnapshotDelta(before, delta))).toEqual(canonical(twice));
  });

  it("refuses to relate the snapshots of two nodes", () => {
    expect(() => snapshotDelta(before, { ...before, node: "other" })).toThrow(/two nodes/);
  });
});
