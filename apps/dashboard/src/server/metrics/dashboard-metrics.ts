import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { JobStatus } from "../../fleet/reconcile-model";
import { nodeStatus, type NodeStatus } from "../../fleet/status";
import type { NodeState } from "../fleet/node-state";

/** How a poll of an agent ended: a new snapshot, the same one (hash only), or no answer. */
export type PollOutcome = "changed" | "unchanged" | "failed";
/** How an apply job ended. */
export type ApplyResult = Exclude<JobStatus, "running">;

const STATUSES: readonly NodeStatus[] = ["up", "stale", "down"];
const APPLY_RESULTS: readonly ApplyResult[] = ["succeeded", "failed", "stopped"];

export interface MetricsSource {
  /** The poller's nodes as they are now: status and findings are read at each scrape. */
  nodes: () => readonly NodeState[];
  pollIntervalMs: number;
  now?: () => number;
}

/** What /metrics exposes about the dashboard's work; every name starts with netatlas_dashboard_ (deploy/grafana/netatlas.json draws them). */
export class DashboardMetrics {
  readonly registry = new Registry();
  readonly pollDuration = new Histogram({
    name: "netatlas_dashboard_poll_duration_seconds",
    help: "One poll of an agent (snapshotIfChanged, and storing what it answered), by node and outcome (changed, unchanged, failed)",
    labelNames: ["node", "outcome"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly streamMessages = new Counter({ name: "netatlas_dashboard_stream_messages_total", help: "Messages received over the agents' snapshot streams, by type (full, delta, heartbeat)", labelNames: ["type"], registers: [this.registry] });
  readonly streamFailures = new Counter({ name: "netatlas_dashboard_stream_failures_total", help: "Snapshot streams that failed or fell silent for two heartbeats (each is reopened with backoff), by node", labelNames: ["node"], registers: [this.registry] });
  readonly agentEvents = new Counter({ name: "netatlas_dashboard_agent_events_total", help: "Events received over the agents' event streams, by node", labelNames: ["node"], registers: [this.registry] });
  readonly applyJobs = new Counter({ name: "netatlas_dashboard_apply_jobs_total", help: "Apply and repair jobs that ended, by result (succeeded, failed, stopped)", labelNames: ["result"], registers: [this.registry] });
  /** Set whenever the reachability matrix is built (server/fleet/reachability-now.ts; a scrape builds it when the snapshots changed). */
  readonly reachabilityFailures = new Gauge({ name: "netatlas_dashboard_reachability_failures", help: "Node pairs whose pods could not reach each other in the last reachability check", registers: [this.registry] });

  constructor(source: MetricsSource) {
    const now = source.now ?? Date.now;
    new Gauge({
      name: "netatlas_dashboard_nodes",
      help: "Nodes by status: up, stale (answering late, or failing with an older snapshot shown), down (never answered)",
      labelNames: ["status"],
      registers: [this.registry],
      collect() {
        const counts = new Map(STATUSES.map((s) => [s, 0]));
        for (const n of source.nodes()) {
          const status = nodeStatus({ lastSeenAt: n.lastSeenAt, lastError: n.lastError, hasSnapshot: !!n.snapshot, heardEveryMs: n.heardEveryMs }, now(), source.pollIntervalMs);
          counts.set(status, (counts.get(status) ?? 0) + 1);
        }
        for (const [status, count] of counts) this.set({ status }, count);
      },
    });
    new Gauge({
      name: "netatlas_dashboard_findings",
      help: "Findings the nodes have now, by code and severity",
      labelNames: ["code", "severity"],
      registers: [this.registry],
      collect() {
        // A code that is gone must leave the scrape, not stay at its last count.
        this.reset();
        for (const n of source.nodes()) for (const f of n.findings) this.inc({ code: f.code, severity: f.severity });
      },
    });
    for (const result of APPLY_RESULTS) this.applyJobs.inc({ result }, 0);
    collectDefaultMetrics({ register: this.registry, prefix: "netatlas_dashboard_" });
  }

  polled(node: string, seconds: number, outcome: PollOutcome): void {
    this.pollDuration.observe({ node, outcome }, seconds);
  }

  /** The pairs of nodes that failed in the newest reachability matrix. */
  setReachabilityFailures(pairs: number): void {
    this.reachabilityFailures.set(pairs);
  }
}
