import type { TopologyGraph } from "../fleet/topology-graph";

/** Elements and edges to bring forward (a traced path), the others dimmed; `notes` are shown on hover. */
export interface TopologyHighlight {
  elements: ReadonlySet<string>;
  edges: ReadonlySet<string>;
  /** The element where the verdict was decided, drawn in the verdict's colour. */
  decided?: { id: string; ok: boolean };
  notes: ReadonlyMap<string, string>;
}

export interface TopologyViewProps {
  graph: TopologyGraph;
  /** The element to centre on (search, ?focus=). */
  focus?: string;
  selected?: string;
  onSelect: (id: string | undefined) => void;
  highlight?: TopologyHighlight;
}

export const KIND_COLORS: Record<TopologyGraph["elements"][number]["kind"], string> = { host: "#2d4a6b", netns: "#3a3f47", pod: "#2f5a3a", container: "#4b3b6b", bridge: "#6b552d", vxlan: "#6b2d4a" };
export const EDGE_COLORS: Record<TopologyGraph["edges"][number]["kind"], string> = { vxlan: "#e0559a", veth: "#7fb3e6", port: "#c9a35a" };
export const FOCUS_COLOR = "#ffd166";
export const PATH_COLORS = { path: "#4fd1c5", ok: "#5bd36b", bad: "#ff6b6b", dim: "#2a2f36" };
