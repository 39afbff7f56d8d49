"use client";
import { useEffect, useRef, useState } from "react";
import type { CellVerification } from "../fleet/cell-verification";
import { cellText, heatmapLayout, MARK_COLOUR, pairKey, STATE_COLOUR, verifyMark, type GridView } from "../fleet/reachability-view";

/** Room for the row labels (left) and the column labels (top, written upwards). */
const LEFT = 150;
const TOP = 110;
/** The matrix is never drawn wider than this: 200 nodes get cells of 4 px, which the tooltip and the filter make readable. */
const MOST_WIDTH = 1000;

type Spot = { row: number; column: number };

/** `text` cut to `width` pixels with an ellipsis. */
function fitted(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let cut = text;
  while (cut.length > 1 && ctx.measureText(`${cut}…`).width > width) cut = cut.slice(0, -1);
  return `${cut}…`;
}

function draw(canvas: HTMLCanvasElement, view: GridView, cell: number, labelEvery: number, verifications: ReadonlyMap<string, CellVerification>, selected: Spot | undefined): void {
  const n = view.nodes.length;
  const [width, height] = [LEFT + n * cell, TOP + n * cell];
  const ratio = window.devicePixelRatio || 1;
  canvas.width = width * ratio;
  canvas.height = height * ratio;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  ctx.scale(ratio, ratio);
  // A gap between cells only where there is room for one: 4 px cells drawn edge to edge.
  const gap = cell >= 8 ? 1 : 0;
  for (let row = 0; row < n; row++) {
    for (let column = 0; column < n; column++) {
      const state = view.stateAt(row, column);
      const [x, y] = [LEFT + column * cell, TOP + row * cell];
      ctx.fillStyle = STATE_COLOUR[state];
      ctx.fillRect(x, y, cell - gap, cell - gap);
      const mark = verifyMark(verifications.get(pairKey(view.nodes[row]!, view.nodes[column]!)), state);
      if (!mark) continue;
      // Both answers in one cell: the state's colour around, the probe's mark inside; a disagreement outlined as well.
      ctx.fillStyle = MARK_COLOUR[mark];
      if (cell < 6) {
        if (mark === "disagree") ctx.fillRect(x, y, cell, cell);
        continue;
      }
      const inner = Math.max(2, Math.floor(cell / 3));
      ctx.fillRect(x + (cell - gap - inner) / 2, y + (cell - gap - inner) / 2, inner, inner);
      if (mark === "disagree") {
        ctx.strokeStyle = MARK_COLOUR.disagree;
        ctx.lineWidth = 2;
        ctx.strokeRect(x + 1, y + 1, cell - gap - 2, cell - gap - 2);
      }
    }
  }
  if (selected) {
    ctx.strokeStyle = "#ffffff";
    ctx.lineWidth = 2;
    ctx.strokeRect(LEFT + selected.column * cell - 1, TOP + selected.row * cell - 1, cell + 1, cell + 1);
  }
  ctx.fillStyle = "#8b96a3";
  ctx.font = `${Math.min(12, Math.max(9, cell - 2))}px system-ui, sans-serif`;
  ctx.textBaseline = "middle";
  ctx.textAlign = "right";
  for (let i = 0; i < n; i += labelEvery) ctx.fillText(fitted(ctx, view.nodes[i]!, LEFT - 8), LEFT - 4, TOP + i * cell + cell / 2);
  ctx.textAlign = "left";
  for (let i = 0; i < n; i += labelEvery) {
    ctx.save();
    ctx.translate(LEFT + i * cell + cell / 2, TOP - 4);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(fitted(ctx, view.nodes[i]!, TOP - 8), 0, 0);
    ctx.restore();
  }
}

/**
 * The matrix as one canvas: rows are sources, columns destinations, each cell in its
 * state's colour (and a probe's answer inside it once verified). Hovering shows the pair,
 * its verdict and probe, with its row and column lit; a click chooses the pair.
 * The canvas carries its geometry (data-left, data-top, data-cell, data-nodes) for tests and tools.
 */
export function ReachabilityHeatmap({ view, verifications, selected, onSelect }: { view: GridView; verifications: ReadonlyMap<string, CellVerification>; selected?: { from: string; to: string }; onSelect: (from: string, to: string) => void }) {
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [room, setRoom] = useState(MOST_WIDTH);
  const [hover, setHover] = useState<Spot & { x: number; y: number }>();
  const n = view.nodes.length;
  const { cell, labelEvery } = heatmapLayout(n, Math.min(room - LEFT, MOST_WIDTH));
  // -1 when the chosen pair is not in view (the filter hides one of its nodes).
  const [chosenRow, chosenColumn] = selected ? [view.nodes.indexOf(selected.from), view.nodes.indexOf(selected.to)] : [-1, -1];

  useEffect(() => {
    const element = wrap.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setRoom(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    const chosen = chosenRow >= 0 && chosenColumn >= 0 ? { row: chosenRow, column: chosenColumn } : undefined;
    if (canvas.current) draw(canvas.current, view, cell, labelEvery, verifications, chosen);
  }, [view, cell, labelEvery, verifications, chosenRow, chosenColumn]);

  const spotAt = (event: React.MouseEvent<HTMLCanvasElement>): Spot | undefined => {
    const box = event.currentTarget.getBoundingClientRect();
    const [column, row] = [Math.floor((event.clientX - box.left - LEFT) / cell), Math.floor((event.clientY - box.top - TOP) / cell)];
    return row >= 0 && column >= 0 && row < n && column < n ? { row, column } : undefined;
  };
  if (!n) return <p className="muted">No node matches the filter.</p>;
  return (
    <div ref={wrap} className="heatmap">
      <canvas
        ref={canvas}
        data-testid="heatmap"
        data-left={LEFT}
        data-top={TOP}
        data-cell={cell}
        data-nodes={view.nodes.join(" ")}
        aria-label={`reachability of ${n} nodes: rows are sources, columns destinations`}
        onMouseMove={(e) => {
          const at = spotAt(e);
          const box = e.currentTarget.getBoundingClientRect();
          setHover(at && { ...at, x: e.clientX - box.left, y: e.clientY - box.top });
        }}
        onMouseLeave={() => setHover(undefined)}
        onClick={(e) => {
          const at = spotAt(e);
          if (at && at.row !== at.column) onSelect(view.nodes[at.row]!, view.nodes[at.column]!);
        }}
      />
      {hover && (
        <>
          <div className="heatmap-band" style={{ left: LEFT, top: TOP + hover.row * cell, width: n * cell, height: cell }} />
          <div className="heatmap-band" style={{ left: LEFT + hover.column * cell, top: TOP, width: cell, height: n * cell }} />
          <div className="heatmap-tip" role="tooltip" style={{ left: hover.x + 14, top: hover.y + 14 }}>
            {cellText(view, hover.row, hover.column, verifications.get(pairKey(view.nodes[hover.row]!, view.nodes[hover.column]!)))}
          </div>
        </>
      )}
    </div>
  );
}
