import { Gauge, type Registry } from "prom-client";
import type { Leadership } from "./leadership";

/** Which replica this is and how many nodes it follows from their agents (the others it serves from the database). */
export function registerReplicaMetrics(registry: Registry, leadership: Leadership): void {
  new Gauge({
    name: "netatlas_dashboard_led_nodes",
    help: "Nodes this dashboard replica leads (follows from their agents), by replica id; with PGlite the one process leads all",
    labelNames: ["replica"],
    registers: [registry],
    collect() {
      this.set({ replica: leadership.replicaId }, leadership.ledCount());
    },
  });
}
