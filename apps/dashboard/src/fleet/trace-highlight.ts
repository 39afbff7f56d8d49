import type { TopologyGraph, TraceHop, TracePath, TraceVerdictKind } from "@netatlas/core";
import { filterRuleText } from "./trace-verdict";

/** How a path ended, as the page colours it: delivered, stopped, or hanging on rules the trace cannot decide. */
export type VerdictTone = "ok" | "bad" | "uncertain";

export const verdictTone = (kind: TraceVerdictKind): VerdictTone => (kind === "delivered" ? "ok" : kind === "uncertain" ? "uncertain" : "bad");

export interface TraceHighlight {
  elements: Set<string>;
  edges: Set<string>;
  /** The element of the hop that decided the verdict, in the verdict's tone. */
  decided?: { id: string; tone: VerdictTone };
  /** Elements of the other filter hops: rules the packet passed only if they go its way. */
  undecided: Set<string>;
  /** Per element, its hops as "#n action: rule", for hover and details. */
  notes: Map<string, string>;
}

/**
 * Filter and reverse-path hops happen inside a namespace, at a hook between the interfaces
 * they name; the packet does not pass those devices there. Other hops pass theirs.
 */
const atHook = (hop: TraceHop) => hop.action === "filter" || hop.action === "rp-filter";

/** A hop as a line of notes: a filter hop names each of its rules with its table, chain and handle. */
function noteOf(hop: TraceHop, i: number): string {
  const rules = hop.filter?.length ? hop.filter.map(filterRuleText).join("; ") : hop.rule;
  return `#${i + 1} ${hop.action}: ${rules}`;
}

/**
 * A traced path on the topology: every hop's namespace (drawn as its pod or
 * container) and the bridges and VXLAN devices it passes, the connections
 * between two of these, and the hop whose rule decided the verdict. A filter
 * hop lights its namespace: the deciding one in the verdict's tone, the others
 * (rules the trace could not decide) as undecided.
 */
export function traceHighlight(graph: TopologyGraph, path: TracePath): TraceHighlight {
  const namespaces = new Map<string, string>();
  const devices = new Map<string, string>();
  for (const e of graph.elements) {
    if (e.ifname) devices.set(`${e.node}/${e.netns}/${e.ifname}`, e.id);
    else namespaces.set(`${e.node}/${e.netns}`, e.id);
  }
  const elements = new Set<string>();
  const undecided = new Set<string>();
  const notes = new Map<string, string[]>();
  let decided: TraceHighlight["decided"];
  path.hops.forEach((hop, i) => {
    const here = namespaces.get(`${hop.node}/${hop.netns.id}`);
    const passed = atHook(hop) ? [] : hop.interfaces.flatMap((name) => devices.get(`${hop.node}/${hop.netns.id}/${name}`) ?? []);
    for (const id of [...(here ? [here] : []), ...passed]) {
      elements.add(id);
      notes.set(id, [...(notes.get(id) ?? []), noteOf(hop, i)]);
    }
    const id = here ?? passed[0];
    if (!id) return;
    if (path.verdict.hop === i) decided = { id, tone: verdictTone(path.verdict.kind) };
    else if (hop.action === "filter") undecided.add(id);
  });
  if (decided) undecided.delete(decided.id);
  const edges = new Set(graph.edges.filter((e) => elements.has(e.source) && elements.has(e.target)).map((e) => e.id));
  return { elements, edges, decided, undecided, notes: new Map([...notes].map(([id, lines]) => [id, lines.join("\n")])) };
}
