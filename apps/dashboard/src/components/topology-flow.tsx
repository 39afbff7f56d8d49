"use client";
import { Background, Controls, MiniMap, Position, ReactFlow, ReactFlowProvider, useReactFlow, type Edge, type Node } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useEffect, useMemo, useState } from "react";
import { ELEMENT_WIDTH, elementHeight } from "../client/layout-request";
import { layoutTopology } from "../client/topology-layout";
import type { Point } from "../fleet/grouped-layout";
import type { TopologyElement } from "@netatlas/core";
import { EDGE_COLORS, FOCUS_COLOR, KIND_COLORS, PATH_COLORS, verdictColor, type TopologyHighlight, type TopologyViewProps } from "./topology-props";

function Label({ element, note }: { element: TopologyElement; note?: string }) {
  return (
    <div style={{ textAlign: "left" }} title={note}>
      <div style={{ fontWeight: 600, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}>{element.label}</div>
      {element.lines.map((l, i) => <div key={i} className="mono" style={{ fontSize: 11, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}>{l}</div>)}
    </div>
  );
}

function borderOf(id: string, { highlight, focus, selected }: Pick<TopologyViewProps, "highlight" | "focus" | "selected">): string {
  if (id === selected || id === focus) return `2px solid ${FOCUS_COLOR}`;
  const verdict = verdictColor(highlight, id);
  if (verdict) return `3px ${highlight?.decided?.id === id ? "solid" : "dashed"} ${verdict}`;
  if (highlight?.elements.has(id)) return `2px solid ${PATH_COLORS.path}`;
  return "1px solid #556";
}

function edgeStyle(id: string, kind: keyof typeof EDGE_COLORS, highlight: TopologyHighlight | undefined) {
  if (highlight?.edges.has(id)) return { stroke: PATH_COLORS.path, strokeWidth: 4 };
  return { stroke: EDGE_COLORS[kind], strokeWidth: kind === "vxlan" ? 2.5 : 1.5, opacity: highlight ? 0.35 : 1 };
}

/** Readable cards for graphs a person takes in whole (up to LARGE_GRAPH elements), laid out by ELK in a worker. */
function Flow({ graph, focus, selected, onSelect, highlight }: TopologyViewProps) {
  const [positions, setPositions] = useState<Map<string, Point>>();
  const [layoutError, setLayoutError] = useState<string>();
  const [fitted, setFitted] = useState(false);
  const flow = useReactFlow();
  useEffect(() => {
    let live = true;
    setPositions(undefined);
    setFitted(false);
    layoutTopology(graph).then((p) => live && setPositions(p), (e: Error) => live && setLayoutError(e.message));
    return () => { live = false; };
  }, [graph]);
  const nodes: Node[] = useMemo(
    () =>
      graph.elements.map((e) => ({
        id: e.id,
        position: positions?.get(e.id) ?? { x: 0, y: 0 },
        sourcePosition: Position.Right,
        targetPosition: Position.Left,
        data: { label: <Label element={e} note={highlight?.notes.get(e.id)} /> },
        style: { width: ELEMENT_WIDTH, height: elementHeight(e.lines.length), background: KIND_COLORS[e.kind], color: "#e8edf2", border: borderOf(e.id, { highlight, focus, selected }), opacity: highlight && !highlight.elements.has(e.id) ? 0.45 : 1, fontSize: 12, padding: 6 },
        className: `topology-${e.kind}${highlight?.elements.has(e.id) ? " on-path" : ""}`,
      })),
    [graph, positions, selected, focus, highlight],
  );
  const edges: Edge[] = useMemo(
    () => graph.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, label: graph.edges.length < 400 ? e.label : undefined, animated: e.kind === "vxlan" || !!highlight?.edges.has(e.id), className: highlight?.edges.has(e.id) ? "on-path" : undefined, style: edgeStyle(e.id, e.kind, highlight) })),
    [graph, highlight],
  );
  useEffect(() => {
    if (!positions) return;
    const target = focus && positions.has(focus) ? focus : undefined;
    const path = highlight ? [...highlight.elements].filter((id) => positions.has(id)).map((id) => ({ id })) : [];
    requestAnimationFrame(() => {
      if (target) void flow.fitView({ nodes: [{ id: target }], maxZoom: 1.2, duration: 300 });
      else void flow.fitView(path.length ? { nodes: path, duration: 0, padding: 0.2 } : { duration: 0 });
      setFitted(true);
    });
  }, [positions, focus, highlight, flow]);
  if (layoutError) return <p className="error">Layout failed: {layoutError}</p>;
  if (!positions) return <p className="loading" role="status">Laying out {graph.elements.length} elements…</p>;
  return (
    <ReactFlow data-rendered={fitted ? graph.elements.length : undefined} nodes={nodes} edges={edges} onNodeClick={(_, n) => onSelect(n.id)} onPaneClick={() => onSelect(undefined)} minZoom={0.05} onlyRenderVisibleElements nodesConnectable={false} colorMode="dark">
      <Background />
      <Controls />
      {/* A traced path is drawn in a small box, where the minimap would hide part of it. */}
      {!highlight && <MiniMap pannable zoomable nodeColor={(n) => (typeof n.style?.background === "string" ? n.style.background : "#556")} />}
    </ReactFlow>
  );
}

export function TopologyFlow(props: TopologyViewProps) {
  return (
    <ReactFlowProvider>
      <Flow {...props} />
    </ReactFlowProvider>
  );
}
