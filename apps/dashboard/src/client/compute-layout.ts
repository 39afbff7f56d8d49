import ELK from "elkjs/lib/elk.bundled.js";
import type { Point } from "../fleet/grouped-layout";
import { ELEMENT_WIDTH, elementHeight, type LayoutRequest } from "./layout-request";

let elk: InstanceType<typeof ELK> | undefined;

/** Positions for every element by ELK's layered layout, for a graph a person reads whole (run in the layout worker). */
export async function computeLayout(request: LayoutRequest): Promise<Map<string, Point>> {
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
