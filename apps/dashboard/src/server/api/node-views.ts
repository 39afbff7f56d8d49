import type { NodeView } from "../../fleet/aggregate";
import { displayUrl } from "../agent-target";
import type { NodeState } from "../fleet/node-state";

/** A node as the browser may see it: no token, no password in its URL. */
export function toNodeView(state: NodeState): NodeView {
  return {
    name: state.target.name,
    url: displayUrl(state.target.url),
    source: state.target.source,
    snapshot: state.snapshot,
    findings: state.findings,
    lastSeenAt: state.lastSeenAt,
    lastError: state.lastError,
    heardEveryMs: state.heardEveryMs,
  };
}
