"use client";
import { Background, Controls, MiniMap, Position, ReactFlow, ReactFlowProvider, useReactFlow, type Edge, type Node } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useEffect, useMemo, useState } from "react";
import { ELEMENT_WIDTH, elementHeight, layoutTopology } from "../client/elk-layout";
import type { TopologyElement, TopologyGraph } from "../fleet/topology-graph";

const COLORS: Record<TopologyElement["kind"], string> = { host: "#2d4a6b", netns: "#3a3f47", pod: "#2f5a3a", container: "#4b3b6b", bridge: "#6b552d", vxlan: "#6b2d4a" };

function Label({ element }: { element: TopologyElement }) {
  return (
    <div style={{ textAlign: "left" }}>
      <div style={{ fontWeight: 600, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}>{element.label}</div>
      {element.lines.map((l, i) => <div key={i} className="mono" style={{ fontSize: 11, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}>{l}</div>)}
    </div>
  );
}

function Flow({ graph, focus, onSelect, selected }: { graph: TopologyGraph; focus?: string; selected?: string; onSelect: (id: string | undefined) => void }) {
  const [positions, setPositions] = useState<Map<string, { x: number; y: number }>>();
  const [layoutError, setLayoutError] = useState<string>();
  const flow = useReactFlow();
  useEffect(() => {
    let live = true;
    setPositions(undefined);
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
        data: { label: <Label element={e} /> },
        style: { width: ELEMENT_WIDTH, height: elementHeight(e.lines.length), background: COLORS[e.kind], color: "#e8edf2", border: e.id === selected || e.id === focus ? "2px solid #ffd166" : "1px solid #556", fontSize: 12, padding: 6 },
        className: `topology-${e.kind}`,
      })),
    [graph, positions, selected, focus],
  );
  const edges: Edge[] = useMemo(
    () => graph.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, label: graph.edges.length < 800 ? e.label : undefined, animated: e.kind === "vxlan", style: { stroke: e.kind === "vxlan" ? "#e0559a" : e.kind === "veth" ? "#7fb3e6" : "#c9a35a", strokeWidth: e.kind === "vxlan" ? 2.5 : 1.5 } })),
    [graph],
  );
  useEffect(() => {
    if (!positions) return;
    const target = focus && positions.has(focus) ? focus : undefined;
    requestAnimationFrame(() => (target ? void flow.fitView({ nodes: [{ id: target }], maxZoom: 1.2, duration: 300 }) : void flow.fitView({ duration: 0 })));
  }, [positions, focus, flow]);
  if (layoutError) return <p className="error">Layout failed: {layoutError}</p>;
  if (!positions) return <p className="loading" role="status">Laying out {graph.elements.length} elements…</p>;
  return (
    <ReactFlow nodes={nodes} edges={edges} onNodeClick={(_, n) => onSelect(n.id)} onPaneClick={() => onSelect(undefined)} minZoom={0.02} onlyRenderVisibleElements nodesConnectable={false} colorMode="dark">
      <Background />
      <Controls />
      <MiniMap pannable zoomable nodeColor={(n) => (typeof n.style?.background === "string" ? n.style.background : "#556")} />
    </ReactFlow>
  );
}

export function TopologyView(props: { graph: TopologyGraph; focus?: string; selected?: string; onSelect: (id: string | undefined) => void }) {
  return (
    <ReactFlowProvider>
      <Flow {...props} />
    </ReactFlowProvider>
  );
}
