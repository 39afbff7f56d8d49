import type { ReachabilityState } from "@netatlas/core";
import type { CellVerification } from "./cell-verification";
import { SELF_CODE, STATE_CODE, type GridProblem, type ReachabilityGrid } from "./reachability-grid";

/** A cell as drawn: a pair's state, or a node's own cell. */
export type CellState = ReachabilityState | "self";

const STATE_OF = new Map<string, CellState>([...Object.entries(STATE_CODE).map(([state, code]) => [code, state as CellState] as const), [SELF_CODE, "self"]]);

/** Red is the colour to look for; the others stay quiet so that 200 × 200 cells show where it is. */
export const STATE_COLOUR: Record<CellState, string> = { delivered: "#2f7d4a", failed: "#e0413c", uncertain: "#e0a030", "no-endpoint": "#4a535e", self: "#1c232b" };

export const LEGEND: readonly { state: CellState; label: string }[] = [
  { state: "delivered", label: "delivered both ways" },
  { state: "failed", label: "fails (request or reply)" },
  { state: "uncertain", label: "uncertain (a rule the trace cannot decide)" },
  { state: "no-endpoint", label: "no pod or container to stand for a node" },
];

/** How a probe's answer stands to the state drawn now; "outdated": the state changed since the probe, which answered the older one. */
export type VerifyMark = "agree" | "disagree" | "not-probed" | "outdated";

export const MARK_COLOUR: Record<VerifyMark, string> = { agree: "#d8dee6", disagree: "#d147d1", "not-probed": "#8b96a3", outdated: "#8b96a3" };

export function verifyMark(verification: CellVerification | undefined, now: CellState): VerifyMark | undefined {
  if (!verification) return undefined;
  if (verification.state !== now) return "outdated";
  return verification.agree === null ? "not-probed" : verification.agree ? "agree" : "disagree";
}

export const pairKey = (from: string, to: string) => `${from}\u0000${to}`;

/** The grid as the page shows it: the nodes the filter keeps, in the server's order, and what each of their cells is. */
export interface GridView {
  nodes: string[];
  stateAt(row: number, column: number): CellState;
  problemAt(row: number, column: number): GridProblem | undefined;
}

/**
 * Keeps the nodes whose name contains any of the filter's words (none: all), and with
 * `onlyFailing` only those with a failed or uncertain cell in their row or column: a
 * 200-node fleet with one bad node shows that node's row and column and its partners.
 */
export function gridView(grid: ReachabilityGrid, filter: string, onlyFailing: boolean): GridView {
  const words = filter.toLowerCase().split(/[\s,]+/).filter(Boolean);
  const bad = new Set<number>();
  for (const p of grid.problems) {
    const state = STATE_OF.get(grid.rows[p.from]?.[p.to] ?? "");
    if (state === "failed" || state === "uncertain") bad.add(p.from).add(p.to);
  }
  const kept = grid.nodes.flatMap((name, i) => ((!words.length || words.some((w) => name.toLowerCase().includes(w))) && (!onlyFailing || bad.has(i)) ? [i] : []));
  const problems = new Map(grid.problems.map((p) => [p.from * grid.nodes.length + p.to, p]));
  return {
    nodes: kept.map((i) => grid.nodes[i]!),
    stateAt: (row, column) => STATE_OF.get(grid.rows[kept[row]!]?.[kept[column]!] ?? "") ?? "no-endpoint",
    problemAt: (row, column) => problems.get(kept[row]! * grid.nodes.length + kept[column]!),
  };
}

/** "failed (no-route, on the reply)", and the probe's answer when there is one. */
export function cellState(view: GridView, row: number, column: number, verification?: CellVerification): string {
  const state = view.stateAt(row, column);
  if (state === "self") return "a node's own cell";
  const problem = view.problemAt(row, column);
  const why = problem ? ` (${problem.verdict}${problem.leg === "reply" ? ", on the reply" : ""})` : "";
  const mark = verifyMark(verification, state);
  const probe = verification ? `\nprobe: ${probeText(verification)}${mark === "outdated" ? ` (when the state was ${verification.state})` : mark === "disagree" ? " — disagrees with the state" : ""}` : "";
  return `${state}${why}${probe}`;
}

/** "node1 → node2: failed (no-route, on the reply)": the tooltip. */
export function cellText(view: GridView, row: number, column: number, verification?: CellVerification): string {
  const [from, to] = [view.nodes[row], view.nodes[column]];
  return row === column ? `${from}: ${cellState(view, row, column)}` : `${from} → ${to}: ${cellState(view, row, column, verification)}`;
}

export function probeText(v: CellVerification): string {
  const p = v.probe;
  return p.outcome === "replies" ? `${p.replies} of ${p.attempts} replies` : p.outcome === "no-reply" ? `no reply (${p.attempts} sent)` : `not probed: ${p.reason}`;
}

/** Cell size and label spacing for `count` nodes in `width` pixels: cells of 2 to 24 px, a label on every row where there is room for its text. */
export function heatmapLayout(count: number, width: number): { cell: number; labelEvery: number } {
  const cell = Math.max(2, Math.min(24, Math.floor(width / Math.max(count, 1))));
  return { cell, labelEvery: Math.max(1, Math.ceil(11 / cell)) };
}

export type Pair = { from: string; to: string };

/** The pairs a Verify button probes, in view: a row (from one node), a column (to one node) or all; a node's own cell and cells without an endpoint have nothing to probe. */
export function pairsToVerify(view: GridView, which: { row?: string; column?: string }): Pair[] {
  const pairs: Pair[] = [];
  view.nodes.forEach((from, row) => {
    if (which.row !== undefined && from !== which.row) return;
    view.nodes.forEach((to, column) => {
      if (which.column !== undefined && to !== which.column) return;
      const state = view.stateAt(row, column);
      if (state !== "self" && state !== "no-endpoint") pairs.push({ from, to });
    });
  });
  return pairs;
}

/** Verified cells by how their probe stands to the state drawn now, and the disagreements themselves. */
export function verificationTally(view: GridView, verifications: ReadonlyMap<string, CellVerification>): { counts: Record<VerifyMark, number>; disagreements: CellVerification[] } {
  const counts: Record<VerifyMark, number> = { agree: 0, disagree: 0, "not-probed": 0, outdated: 0 };
  const disagreements: CellVerification[] = [];
  const place = new Map(view.nodes.map((n, i) => [n, i]));
  for (const v of verifications.values()) {
    const [row, column] = [place.get(v.from), place.get(v.to)];
    if (row === undefined || column === undefined) continue;
    const mark = verifyMark(v, view.stateAt(row, column))!;
    counts[mark]++;
    if (mark === "disagree") disagreements.push(v);
  }
  return { counts, disagreements };
}
