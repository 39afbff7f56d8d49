import type { AgentEvent, Finding, NodeSnapshot } from "@netatlas/core";
import type { AgentTarget } from "../agent-target";

/** What the dashboard knows about one node now. */
export interface NodeState {
  target: AgentTarget;
  snapshot?: NodeSnapshot;
  findings: Finding[];
  /** When the agent was last heard from (a stream's message, or a poll's answer). */
  lastSeenAt?: number;
  /** How often a streaming agent says it is alive (its heartbeat); undefined for a polled one, heard every poll interval. */
  heardEveryMs?: number;
  lastError?: string;
  /** The newest events from its stream, oldest first (bounded). */
  events: AgentEvent[];
  inFlight: boolean;
}

export const RECENT_EVENTS = 200;
