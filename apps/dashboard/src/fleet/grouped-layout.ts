import type { TopologyEdge, TopologyElement, TopologyKind } from "@netatlas/core";

export type Point = { x: number; y: number };

const HUBS = new Set<TopologyKind>(["host", "bridge", "vxlan"]);
/** Grid pitch of leaves (pods, namespaces, containers) and the gap between groups, in layout units. */
const CELL = 10;
const GAP = 40;

interface Group {
  hub: string;
  leaves: string[];
}

/** A square-ish grid of `count` cells: its columns and its size. */
function grid(count: number): { columns: number; width: number; height: number } {
  const columns = Math.max(1, Math.ceil(Math.sqrt(count)));
  return { columns, width: columns * CELL, height: Math.ceil(count / columns) * CELL };
}

/**
 * Positions for graphs too large to lay out edge by edge, in linear time:
 * each fleet node is a block; in it every hub (host namespace, bridge, VXLAN
 * device) heads a column under which the elements hanging on it (the pods on a
 * bridge) sit in a grid; blocks are packed in rows of about equal width. What
 * a person looks for at this size is where a pod is and what it hangs on, and
 * that is what stays next to each other.
 */
export function groupedLayout(graph: { elements: readonly Pick<TopologyElement, "id" | "node" | "kind">[]; edges: readonly Pick<TopologyEdge, "source" | "target">[] }): Map<string, Point> {
  const kindOf = new Map(graph.elements.map((e) => [e.id, e.kind]));
  const hubOf = new Map<string, string>();
  for (const edge of graph.edges) {
    const [a, b] = [edge.source, edge.target];
    const aHub = HUBS.has(kindOf.get(a) as TopologyKind);
    const bHub = HUBS.has(kindOf.get(b) as TopologyKind);
    // A leaf hangs on the first hub it is joined to; a bridge over the host namespace prefers the bridge.
    if (aHub && !bHub && (!hubOf.has(b) || kindOf.get(a) !== "host")) hubOf.set(b, a);
    if (bHub && !aHub && (!hubOf.has(a) || kindOf.get(b) !== "host")) hubOf.set(a, b);
  }
  const blocks = new Map<string, Group[]>();
  const groupOf = new Map<string, Group>();
  const loose = new Map<string, Group>();
  for (const e of graph.elements) {
    if (!HUBS.has(e.kind)) continue;
    const group: Group = { hub: e.id, leaves: [] };
    groupOf.set(e.id, group);
    (blocks.get(e.node) ?? blocks.set(e.node, []).get(e.node)!).push(group);
  }
  for (const e of graph.elements) {
    if (HUBS.has(e.kind)) continue;
    const hub = hubOf.get(e.id);
    let group = hub ? groupOf.get(hub) : undefined;
    if (!group) {
      // Nothing to hang on (an orphaned namespace): a column of the node's own, without a hub.
      group = loose.get(e.node);
      if (!group) {
        loose.set(e.node, (group = { hub: "", leaves: [] }));
        (blocks.get(e.node) ?? blocks.set(e.node, []).get(e.node)!).push(group);
      }
    }
    group.leaves.push(e.id);
  }
  const sized = [...blocks.values()].map((groups) => {
    const columns = groups.map((g) => ({ group: g, ...grid(g.leaves.length) }));
    const width = columns.reduce((w, c) => w + Math.max(c.width, CELL) + GAP, 0);
    const height = GAP + Math.max(0, ...columns.map((c) => c.height));
    return { columns, width, height };
  });
  const rowWidth = Math.sqrt(sized.reduce((area, b) => area + b.width * b.height, 0));
  const positions = new Map<string, Point>();
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const block of sized) {
    if (x > 0 && x + block.width > rowWidth) {
      x = 0;
      y += rowHeight + GAP;
      rowHeight = 0;
    }
    let left = x;
    for (const column of block.columns) {
      if (column.group.hub) positions.set(column.group.hub, { x: left + column.width / 2, y });
      column.group.leaves.forEach((id, i) => positions.set(id, { x: left + (i % column.columns) * CELL, y: y + GAP + Math.floor(i / column.columns) * CELL }));
      left += Math.max(column.width, CELL) + GAP;
    }
    x += block.width + GAP;
    rowHeight = Math.max(rowHeight, block.height);
  }
  return positions;
}
