import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** What /metrics exposes about the agent's work. */
export class AgentMetrics {
  readonly registry = new Registry();
  readonly snapshotDuration = new Histogram({ name: "netatlas_snapshot_duration_seconds", help: "Time to read the whole node", buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [this.registry] });
  readonly events = new Counter({ name: "netatlas_events_total", help: "Change events emitted, by kind", labelNames: ["kind"], registers: [this.registry] });
  readonly errors = new Counter({ name: "netatlas_errors_total", help: "Errors, by where they happened", labelNames: ["where"], registers: [this.registry] });
  readonly namespaces = new Gauge({ name: "netatlas_namespaces", help: "Network namespaces on the node", registers: [this.registry] });
  readonly notifications = new Counter({ name: "netatlas_notifications_total", help: "rtnetlink notifications taken in, by what was done with them: applied (the entry changed in place), reread (its namespace read again), ignored", labelNames: ["outcome"], registers: [this.registry] });
  readonly overflows = new Counter({ name: "netatlas_notification_overflows_total", help: "Times the kernel dropped notifications (ENOBUFS) and the node was read again in full", registers: [this.registry] });
  readonly drift = new Counter({
    name: "netatlas_live_drift_entries_total",
    help: "Entries a periodic full read found different from the state kept from notifications (in namespaces that send them): changes the notifications missed; 0 when they told everything",
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "netatlas_agent_" });
  }
}
