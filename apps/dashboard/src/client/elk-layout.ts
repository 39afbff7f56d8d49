"use client";
import ELK from "elkjs/lib/elk.bundled.js";
import type { TopologyGraph } from "../fleet/topology-graph";

const elk = new ELK();

export const ELEMENT_WIDTH = 200;

export function elementHeight(lines: number): number {
  return 34 + 15 * lines;
}

/**
 * Positions for every element. Layered layout for graphs a person reads whole;
 * above a few thousand elements ELK's layered algorithm takes seconds, so the
 * faster force-free "rectpacking" of each node's elements is used instead.
 */
export async function layoutTopology(graph: TopologyGraph): Promise<Map<string, { x: number; y: number }>> {
  const large = graph.elements.length > 1_500;
  const ids = new Set(graph.elements.map((e) => e.id));
  const result = await elk.layout({
    id: "root",
    layoutOptions: large
      ? { "elk.algorithm": "rectpacking", "elk.spacing.nodeNode": "20" }
      : { "elk.algorithm": "layered", "elk.direction": "RIGHT", "elk.layered.spacing.nodeNodeBetweenLayers": "70", "elk.spacing.nodeNode": "24", "elk.separateConnectedComponents": "true" },
    children: graph.elements.map((e) => ({ id: e.id, width: ELEMENT_WIDTH, height: elementHeight(e.lines.length) })),
    edges: large ? [] : graph.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  });
  return new Map((result.children ?? []).map((c) => [c.id, { x: c.x ?? 0, y: c.y ?? 0 }]));
}
