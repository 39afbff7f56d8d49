import { describe, expect, it } from "vitest";
import type { CellVerification } from "./cell-verification";
import type { ReachabilityGrid } from "./reachability-grid";
import { cellText, gridView, heatmapLayout, pairKey, pairsToVerify, STATE_COLOUR, verificationTally, verifyMark } from "./reachability-view";

const summary = { pairs: 12, delivered: 8, failed: 2, uncertain: 1, noEndpoint: 1, traced: 4, composed: 8 };
// web-1 cannot reach db-2 (and the reply to db-2 is lost), web-2 → db-1 hangs on a rule, db-2 has nothing running.
const grid: ReachabilityGrid = {
  nodes: ["web-1", "web-2", "db-1", "db-2"],
  rows: ["-ddf", "d-ud", "dd-d", "fdn-"],
  problems: [
    { from: 0, to: 3, verdict: "no-route", leg: "forward" },
    { from: 1, to: 2, verdict: "uncertain" },
    { from: 3, to: 0, verdict: "no-route", leg: "reply" },
    { from: 3, to: 2, verdict: "unknown-destination" },
  ],
  summary,
};
const verified = (over: Partial<CellVerification>): CellVerification => ({ from: "web-1", to: "db-2", state: "failed", probe: { outcome: "no-reply", attempts: 2 }, agree: true, message: "", at: 0, ...over });

describe("the Reachability page's view of the grid", () => {
  it("reads each cell's state and colours failures red, the diagonal as a node's own", () => {
    const view = gridView(grid, "", false);
    expect(view.nodes).toEqual(grid.nodes);
    expect([0, 1, 2, 3].map((j) => view.stateAt(0, j))).toEqual(["self", "delivered", "delivered", "failed"]);
    expect(view.stateAt(3, 2)).toBe("no-endpoint");
    expect(STATE_COLOUR[view.stateAt(0, 3)]).toBe("#e0413c");
    expect(new Set(Object.values(STATE_COLOUR)).size).toBe(5);
  });

  it("keeps the nodes whose names contain any word of the filter, with their cells", () => {
    const view = gridView(grid, "DB", false);
    expect(view.nodes).toEqual(["db-1", "db-2"]);
    expect(view.stateAt(1, 0)).toBe("no-endpoint");
    expect(view.problemAt(1, 0)).toEqual({ from: 3, to: 2, verdict: "unknown-destination" });
    expect(gridView(grid, "web-1, db-2", false).nodes).toEqual(["web-1", "db-2"]);
    expect(gridView(grid, "web-1 db-2", false).stateAt(0, 1)).toBe("failed");
    expect(gridView(grid, "nothing", false).nodes).toEqual([]);
  });

  it("with only failing nodes, keeps those with a failed or uncertain cell (a missing endpoint is no failure)", () => {
    expect(gridView(grid, "", true).nodes).toEqual(["web-1", "web-2", "db-1", "db-2"]);
    const healthier = { ...grid, rows: ["-ddd", "d-ud", "dd-d", "ddn-"], problems: grid.problems.filter((p) => p.verdict !== "no-route") };
    expect(gridView(healthier, "", true).nodes).toEqual(["web-2", "db-1"]);
  });

  it("says a cell's pair, state and verdict, and its probe's answer with whether it agrees", () => {
    const view = gridView(grid, "", false);
    expect(cellText(view, 3, 0)).toBe("db-2 → web-1: failed (no-route, on the reply)");
    expect(cellText(view, 0, 3, verified({ probe: { outcome: "replies", replies: 2, attempts: 2 }, agree: false }))).toBe("web-1 → db-2: failed (no-route)\nprobe: 2 of 2 replies — disagrees with the state");
    expect(cellText(view, 1, 1)).toBe("web-2: a node's own cell");
  });

  it("marks a probe against the state drawn now: agreeing, disagreeing, not probed, or answering a state that has changed since", () => {
    expect(verifyMark(undefined, "failed")).toBeUndefined();
    expect(verifyMark(verified({}), "failed")).toBe("agree");
    expect(verifyMark(verified({ agree: false }), "failed")).toBe("disagree");
    expect(verifyMark(verified({ agree: null, probe: { outcome: "refused", reason: "no admin token" } }), "failed")).toBe("not-probed");
    expect(verifyMark(verified({ agree: false }), "delivered")).toBe("outdated");
  });

  it("fits 200 nodes in cells of a few pixels, labelling only every few rows, and a few nodes in large cells", () => {
    expect(heatmapLayout(200, 900)).toEqual({ cell: 4, labelEvery: 3 });
    expect(heatmapLayout(3, 900)).toEqual({ cell: 24, labelEvery: 1 });
    expect(heatmapLayout(2000, 900).cell).toBe(2);
  });

  it("verifies a row, a column or all pairs in view, leaving out a node's own cell and cells without an endpoint", () => {
    const view = gridView(grid, "", false);
    expect(pairsToVerify(view, { row: "db-2" })).toEqual([{ from: "db-2", to: "web-1" }, { from: "db-2", to: "web-2" }]);
    expect(pairsToVerify(view, { column: "web-1" })).toEqual([{ from: "web-2", to: "web-1" }, { from: "db-1", to: "web-1" }, { from: "db-2", to: "web-1" }]);
    expect(pairsToVerify(view, { row: "web-1", column: "db-2" })).toEqual([{ from: "web-1", to: "db-2" }]);
    expect(pairsToVerify(view, {})).toHaveLength(11);
    expect(pairsToVerify(gridView(grid, "web", false), {})).toEqual([{ from: "web-1", to: "web-2" }, { from: "web-2", to: "web-1" }]);
  });

  it("counts the verified cells in view by how they stand to the state now, and lists the disagreements", () => {
    const disagreeing = verified({ agree: false, probe: { outcome: "replies", replies: 2, attempts: 2 } });
    const all = new Map([
      [pairKey("web-1", "db-2"), disagreeing],
      [pairKey("web-2", "web-1"), verified({ from: "web-2", to: "web-1", state: "delivered" })],
      [pairKey("db-1", "web-1"), verified({ from: "db-1", to: "web-1", state: "failed" })],
      [pairKey("gone", "web-1"), verified({ from: "gone", to: "web-1" })],
    ]);
    expect(verificationTally(gridView(grid, "", false), all)).toEqual({ counts: { agree: 1, disagree: 1, "not-probed": 0, outdated: 1 }, disagreements: [disagreeing] });
  });
});
