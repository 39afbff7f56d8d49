"use client";
import type Graph from "graphology";
import type Sigma from "sigma";
import type { NodeDisplayData, PartialButFor } from "sigma/types";
import { useEffect, useRef, useState } from "react";
import { layoutTopology } from "../client/topology-layout";
import type { TopologyGraph } from "@netatlas/core";
import { EDGE_COLORS, FOCUS_COLOR, PATH_COLORS, verdictColor, type TopologyViewProps } from "./topology-props";

const DOT_COLORS: Record<TopologyGraph["elements"][number]["kind"], string> = { host: "#5b8fd6", netns: "#8a93a0", pod: "#57b36a", container: "#9b7fd6", bridge: "#d6a857", vxlan: "#d6578f" };
const DOT_SIZES: Record<TopologyGraph["elements"][number]["kind"], number> = { host: 9, bridge: 7, vxlan: 7, netns: 2.5, pod: 2.5, container: 2.5 };
const LABEL = "#e8edf2";
const FONT = "system-ui, sans-serif";

/** sigma.js and graphology, loaded once; start early (while the graph is fetched) with `preloadWebgl`. */
let modules: Promise<[typeof import("sigma"), typeof import("graphology")]> | undefined;
export function preloadWebgl() {
  modules ??= Promise.all([import("sigma"), import("graphology")]);
  return modules;
}

/** The hovered element's label, and a traced hop's deciding rule, on a dark card (sigma's default card is white). */
function drawHover(context: CanvasRenderingContext2D, data: PartialButFor<NodeDisplayData, "x" | "y" | "size" | "label" | "color"> & { note?: string }) {
  const lines = [data.label, data.note].filter((l): l is string => !!l);
  if (!lines.length) return;
  context.font = `600 13px ${FONT}`;
  const width = Math.max(...lines.map((l) => context.measureText(l).width)) + 12;
  const x = data.x + data.size + 4;
  const y = data.y - 11;
  context.fillStyle = "#11161d";
  context.strokeStyle = FOCUS_COLOR;
  context.fillRect(x, y, width, 18 * lines.length + 4);
  context.strokeRect(x, y, width, 18 * lines.length + 4);
  context.fillStyle = LABEL;
  lines.forEach((line, i) => context.fillText(line, x + 6, y + 15 + 18 * i));
}

/**
 * Large graphs (above LARGE_GRAPH elements) drawn with WebGL by sigma.js: one
 * dot per element, labels only where they fit at the current zoom, positions
 * from the grouped layout computed in a worker. Wheel zooms, drag pans, a
 * click selects, and the focused element is centred.
 */
export function TopologyWebgl({ graph, focus, selected, onSelect, highlight }: TopologyViewProps) {
  const container = useRef<HTMLDivElement>(null);
  const [renderer, setRenderer] = useState<Sigma>();
  const [failure, setFailure] = useState<string>();
  const [rendered, setRendered] = useState(false);
  const select = useRef(onSelect);
  select.current = onSelect;

  useEffect(() => {
    let live = true;
    let instance: Sigma | undefined;
    setRendered(false);
    setRenderer(undefined);
    void (async () => {
      const [[{ default: SigmaClass }, { MultiGraph }], positions] = await Promise.all([preloadWebgl(), layoutTopology(graph)]);
      if (!live || !container.current) return;
      const model: Graph = new MultiGraph();
      for (const e of graph.elements) {
        const at = positions.get(e.id) ?? { x: 0, y: 0 };
        // sigma's y grows upwards; the layout's downwards.
        model.addNode(e.id, { x: at.x, y: -at.y, size: DOT_SIZES[e.kind], color: DOT_COLORS[e.kind], label: e.label });
      }
      for (const e of graph.edges) if (model.hasNode(e.source) && model.hasNode(e.target)) model.addEdgeWithKey(e.id, e.source, e.target, { color: EDGE_COLORS[e.kind], size: e.kind === "vxlan" ? 2 : 0.6 });
      instance = new SigmaClass(model, container.current, {
        labelColor: { color: LABEL },
        labelFont: FONT,
        labelRenderedSizeThreshold: 7,
        // One label per 200 px square: a pod's label is wider than the grid pitch once zoomed in.
        labelGridCellSize: 200,
        defaultDrawNodeHover: drawHover,
        zIndex: true,
        // While the camera moves, dots only: on a machine without a GPU every frame is software-rendered.
        hideEdgesOnMove: true,
        hideLabelsOnMove: true,
        minCameraRatio: 0.005,
        maxCameraRatio: 4,
      });
      instance.on("clickNode", ({ node }) => select.current(node));
      instance.on("clickStage", () => select.current(undefined));
      instance.once("afterRender", () => live && setRendered(true));
      setRenderer(instance);
    })().catch((error: Error) => live && setFailure(/webgl/i.test(error.message) ? `this graph is drawn with WebGL, which the browser refused: ${error.message}` : error.message));
    return () => {
      live = false;
      instance?.kill();
    };
  }, [graph]);

  // Selection, focus and a traced path change only how elements are drawn, not the graph.
  useEffect(() => {
    if (!renderer) return;
    const special = (id: string) => id === selected || id === focus;
    renderer.setSetting("nodeReducer", (node, data) => {
      const onPath = highlight?.elements.has(node);
      const decided = verdictColor(highlight, node);
      if (special(node)) return { ...data, highlighted: true, forceLabel: true, zIndex: 3, size: (data.size as number) * 1.6 + 4, color: decided ?? (onPath ? PATH_COLORS.path : FOCUS_COLOR), note: highlight?.notes.get(node) };
      if (onPath) return { ...data, forceLabel: true, zIndex: 2, size: Math.max(data.size as number, 6), color: decided ?? PATH_COLORS.path, note: highlight?.notes.get(node) };
      return highlight ? { ...data, color: PATH_COLORS.dim, label: null, zIndex: 0 } : data;
    });
    renderer.setSetting("edgeReducer", (edge, data) => {
      if (!highlight) return data;
      return highlight.edges.has(edge) ? { ...data, color: PATH_COLORS.path, size: 3, zIndex: 2 } : { ...data, color: PATH_COLORS.dim, zIndex: 0 };
    });
  }, [renderer, selected, focus, highlight]);

  useEffect(() => {
    if (!renderer) return;
    const target = focus ?? (highlight ? [...highlight.elements][0] : undefined);
    // A reducer change only schedules sigma's refresh, and until it renders the display data holds raw graph
    // coordinates instead of framed ones: refresh now, so the camera goes where the element is drawn.
    if (target && renderer.getGraph().hasNode(target)) renderer.refresh();
    const at = target && renderer.getGraph().hasNode(target) ? renderer.getNodeDisplayData(target) : undefined;
    if (at) void renderer.getCamera().animate({ x: at.x, y: at.y, ratio: 0.08 }, { duration: 300 });
    else void renderer.getCamera().animatedReset({ duration: 0 });
  }, [renderer, focus, highlight]);

  const camera = renderer?.getCamera();
  return (
    <div className="topology-webgl" data-rendered={rendered ? graph.elements.length : undefined}>
      {failure && <p className="error" role="alert">Cannot draw the topology: {failure}</p>}
      {!renderer && !failure && <p className="loading" role="status">Laying out {graph.elements.length} elements…</p>}
      <div ref={container} className="topology-canvas" data-testid="topology-canvas" />
      <div className="topology-controls">
        <button type="button" aria-label="Zoom in" onClick={() => void camera?.animatedZoom({ duration: 200 })}>+</button>
        <button type="button" aria-label="Zoom out" onClick={() => void camera?.animatedUnzoom({ duration: 200 })}>−</button>
        <button type="button" aria-label="Fit the whole graph" onClick={() => void camera?.animatedReset({ duration: 200 })}>⤢</button>
      </div>
    </div>
  );
}
