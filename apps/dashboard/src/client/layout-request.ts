import type { TopologyGraph } from "@netatlas/core";

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
