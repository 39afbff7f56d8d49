import ELK from "elkjs/lib/elk.bundled.js";
import { groupedLayout, type Point } from "../fleet/grouped-layout";
import type { TopologyGraph } from "../fleet/topology-graph";

/**
 * Above this many elements the graph is drawn with WebGL and laid out in
 * groups: ELK's layered layout and a DOM node per element take seconds there.
 */
export const LARGE_GRAPH = 800;

export const ELEMENT_WIDTH = 200;

export function elementHeight(lines: number): number {
  return 34 + 15 * lines;
}

/** What the layout needs of a graph: no labels or details, so it is cheap to hand to a worker. */
export interface LayoutRequest {
  elements: { id: string; node: string; kind: TopologyGraph["elements"][number]["kind"]; lines: number }[];
  edges: { id: string; source: string; target: string; kind: TopologyGraph["edges"][number]["kind"] }[];
}

export function layoutRequest(graph: TopologyGraph): LayoutRequest {
  return {
    elements: graph.elements.map((e) => ({ id: e.id, node: e.node, kind: e.kind, lines: e.lines.length })),
    edges: graph.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, kind: e.kind })),
  };
}

let elk: InstanceType<typeof ELK> | undefined;

/** Positions for every element: ELK's layered layout for a graph a person reads whole, the grouped one above LARGE_GRAPH. */
export async function computeLayout(request: LayoutRequest): Promise<Map<string, Point>> {
  if (request.elements.length > LARGE_GRAPH) return groupedLayout(request);
  elk ??= new ELK();
  const ids = new Set(request.elements.map((e) => e.id));
  const result = await elk.layout({
    id: "root",
    layoutOptions: { "elk.algorithm": "layered", "elk.direction": "RIGHT", "elk.layered.spacing.nodeNodeBetweenLayers": "70", "elk.spacing.nodeNode": "24", "elk.separateConnectedComponents": "true" },
    children: request.elements.map((e) => ({ id: e.id, width: ELEMENT_WIDTH, height: elementHeight(e.lines) })),
    edges: request.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  });
  return new Map((result.children ?? []).map((c) => [c.id, { x: c.x ?? 0, y: c.y ?? 0 }]));
}
