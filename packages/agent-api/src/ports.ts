import type { AgentEvent, NodeSnapshot } from "@netatlas/core";
import type { AgentInfo, Scope } from "./model.js";

/** The stream of a node's changes, numbered; recent ones are kept for clients that reconnect. */
export interface EventSourcePort {
  /** Events with seq greater than `seq` that are still kept. */
  since(seq: number): AgentEvent[];
  /** The newest seq so far (0 before the first event). */
  latestSeq(): number;
  /** Calls listener for every new event; returns the unsubscribe function. */
  subscribe(listener: (event: AgentEvent) => void): () => void;
}

/** What the router needs from the agent: injected, so the router is tested without a kernel. */
export interface AgentPorts {
  info(): AgentInfo;
  snapshot(options: { maxAgeMs?: number }): Promise<NodeSnapshot>;
  events: EventSourcePort;
  /** Maps a bearer token to its scope; null for a missing or unknown token. */
  authenticate(token: string | undefined): Scope | null;
  setMode(mode: AgentInfo["mode"]): void;
  startedAt: number;
}
