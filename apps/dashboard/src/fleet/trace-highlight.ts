import type { TracePath } from "@netatlas/core";
import type { TopologyGraph } from "./topology-graph";

export interface TraceHighlight {
  elements: Set<string>;
  edges: Set<string>;
  /** The element of the hop that decided the verdict. */
  decided?: { id: string; ok: boolean };
  /** Per element, its hops as "#n action: rule", for hover and details. */
  notes: Map<string, string>;
}

/**
 * A traced path on the topology: every hop's namespace (drawn as its pod or
 * container) and the bridges and VXLAN devices it passes, the connections
 * between two of these, and the hop whose rule decided the verdict.
 */
export function traceHighlight(graph: TopologyGraph, path: TracePath): TraceHighlight {
  const namespaces = new Map<string, string>();
  const devices = new Map<string, string>();
  for (const e of graph.elements) {
    if (e.ifname) devices.set(`${e.node}/${e.netns}/${e.ifname}`, e.id);
    else namespaces.set(`${e.node}/${e.netns}`, e.id);
  }
  const elements = new Set<string>();
  const notes = new Map<string, string[]>();
  let decided: TraceHighlight["decided"];
  path.hops.forEach((hop, i) => {
    const here = namespaces.get(`${hop.node}/${hop.netns.id}`);
    const passed = hop.interfaces.flatMap((name) => devices.get(`${hop.node}/${hop.netns.id}/${name}`) ?? []);
    for (const id of [...(here ? [here] : []), ...passed]) {
      elements.add(id);
      notes.set(id, [...(notes.get(id) ?? []), `#${i + 1} ${hop.action}: ${hop.rule}`]);
    }
    if (path.verdict.hop === i && here) decided = { id: here, ok: path.verdict.kind === "delivered" };
  });
  const edges = new Set(graph.edges.filter((e) => elements.has(e.source) && elements.has(e.target)).map((e) => e.id));
  return { elements, edges, decided, notes: new Map([...notes].map(([id, lines]) => [id, lines.join("\n")])) };
}
