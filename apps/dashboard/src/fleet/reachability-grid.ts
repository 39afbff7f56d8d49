import type { ReachabilityCell, ReachabilityMatrix, ReachabilityState, TraceVerdictKind } from "@netatlas/core";

/** One character per cell in a grid row; "-" is a node's own cell (the diagonal). */
export const STATE_CODE: Record<ReachabilityState, string> = { delivered: "d", failed: "f", uncertain: "u", "no-endpoint": "n" };
export const SELF_CODE = "-";

/** A cell that is not delivered, by its nodes' places in `nodes`: what the heat map's tooltip and the list of failing pairs say before a click. */
export interface GridProblem {
  from: number;
  to: number;
  verdict: TraceVerdictKind;
  leg?: ReachabilityCell["leg"];
}

/**
 * The matrix as the Reachability page draws it: 200 nodes make 39,800 cells, each a few
 * hundred bytes with its endpoints and message, so the page gets one character per cell
 * and the verdicts of the cells that are not delivered; a click asks for the pair itself.
 */
export interface ReachabilityGrid {
  nodes: string[];
  /** One string per source node, one character (STATE_CODE) per destination node, in the order of `nodes`. */
  rows: string[];
  problems: GridProblem[];
  summary: ReachabilityMatrix["summary"];
}

export function reachabilityGrid(matrix: ReachabilityMatrix): ReachabilityGrid {
  const place = new Map(matrix.nodes.map((n, i) => [n, i]));
  const rows = matrix.nodes.map((_, i) => Array.from(matrix.nodes, (_, j) => (i === j ? SELF_CODE : STATE_CODE["no-endpoint"])));
  const problems: GridProblem[] = [];
  for (const cell of matrix.cells) {
    const [from, to] = [place.get(cell.from), place.get(cell.to)];
    if (from === undefined || to === undefined) continue;
    rows[from]![to] = STATE_CODE[cell.state];
    if (cell.state !== "delivered") problems.push({ from, to, verdict: cell.verdict, ...(cell.leg ? { leg: cell.leg } : {}) });
  }
  return { nodes: matrix.nodes, rows: rows.map((r) => r.join("")), problems, summary: matrix.summary };
}
