import type { TopologyGraph } from "@netatlas/core";
import type { VerdictTone } from "../fleet/trace-highlight";

/** Elements and edges to bring forward (a traced path), the others dimmed; `notes` are shown on hover. */
export interface TopologyHighlight {
  elements: ReadonlySet<string>;
  edges: ReadonlySet<string>;
  /** The element where the verdict was decided, drawn in the verdict's colour. */
  decided?: { id: string; tone: VerdictTone };
  /** Elements whose filter rules the trace could not decide, drawn in the uncertain colour. */
  undecided?: ReadonlySet<string>;
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
export const PATH_COLORS = { path: "#4fd1c5", ok: "#5bd36b", bad: "#ff6b6b", uncertain: "#f5a524", dim: "#2a2f36" };

/** The colour of a traced path's element that the verdict singles out (decided or undecided), if it does. */
export function verdictColor(highlight: TopologyHighlight | undefined, id: string): string | undefined {
  if (highlight?.decided?.id === id) return PATH_COLORS[highlight.decided.tone];
  return highlight?.undecided?.has(id) ? PATH_COLORS.uncertain : undefined;
}
