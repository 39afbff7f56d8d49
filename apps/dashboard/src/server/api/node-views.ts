import type { NodeView } from "../../fleet/aggregate";
import type { NodeState } from "../fleet/node-state";

/** A node as the browser may see it: no token. */
export function toNodeView(state: NodeState): NodeView {
  return {
    name: state.target.name,
    url: state.target.url,
    source: state.target.source,
    snapshot: state.snapshot,
    findings: state.findings,
    lastSeenAt: state.lastSeenAt,
    lastError: state.lastError,
  };
}
