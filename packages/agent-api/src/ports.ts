import type { AgentEvent, NodeIntent, NodeSnapshot, Plan } from "@netatlas/core";
import type { AgentInfo, ReconcileMode, Scope } from "./model.js";
import type { ApplyResult, ReconcileStatus } from "./reconcile-model.js";
import type { ProbeInput, ProbeResult } from "./probe-model.js";
import type { SnapshotVersions } from "./snapshot-versions.js";

/** The stream of a node's changes, numbered; recent ones are kept for clients that reconnect. */
export interface EventSourcePort {
  /** Events with seq greater than `seq` that are still kept. */
  since(seq: number): AgentEvent[];
  /** The newest seq so far (0 before the first event). */
  latestSeq(): number;
  /** Calls listener for every new event; returns the unsubscribe function. */
  subscribe(listener: (event: AgentEvent) => void): () => void;
}

/** The write path: plans are dry runs; apply runs a plan made before, by its hash. */
export interface ReconcilePort {
  plan(intent: NodeIntent): Promise<Plan>;
  /**
   * Throws UnknownPlanError, PlanOutdatedError or (for a plan with disruptive ops
   * and no `allowDisruptive`) DisruptiveOpsRefusedError, from reconcile-model, when it must not run.
   */
  apply(planHash: string, options?: { allowDisruptive?: boolean }): Promise<ApplyResult>;
  status(): Promise<ReconcileStatus>;
}

/** What the router needs from the agent: injected, so the router is tested without a kernel. */
export interface AgentPorts {
  info(): AgentInfo;
  snapshot(options: { maxAgeMs?: number }): Promise<NodeSnapshot>;
  events: EventSourcePort;
  /** The node's states, numbered, with the delta between each two: what the snapshot stream sends. */
  versions: SnapshotVersions;
  /** How often a quiet snapshot stream sends a heartbeat (default 5 s). */
  heartbeatMs?: number;
  /** Maps a bearer token to its scope; null for a missing or unknown token. */
  authenticate(token: string | undefined): Scope | null;
  /** Resolves once the mode is in effect (and, on an agent, kept for a restart); rejects when it could not be. */
  setMode(mode: ReconcileMode): void | Promise<void>;
  reconcile: ReconcilePort;
  /** Throws ProbeRefusedError for a namespace it does not have or a target outside the fleet. */
  probe(input: ProbeInput): Promise<ProbeResult>;
  startedAt: number;
}
