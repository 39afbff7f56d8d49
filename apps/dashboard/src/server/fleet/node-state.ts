import type { AgentEvent, Finding, NodeSnapshot } from "@netatlas/core";
import type { AgentTarget } from "../agent-target";

/** What the dashboard knows about one node between polls. */
export interface NodeState {
  target: AgentTarget;
  snapshot?: NodeSnapshot;
  findings: Finding[];
  /** When the agent last answered a poll. */
  lastSeenAt?: number;
  lastError?: string;
  /** The newest events from its stream, oldest first (bounded). */
  events: AgentEvent[];
  inFlight: boolean;
}

export const RECENT_EVENTS = 200;
