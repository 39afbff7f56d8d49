import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The dashboard processes sharing this database, each with the last moment it said it was
 * alive (the database's clock, so replicas on machines whose clocks differ agree on who is live).
 */
export const dashboardReplicas = pgTable("dashboard_replicas", {
  id: text("id").primaryKey(),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  seenAt: timestamp("seen_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Which replica follows which agent (its stream, polls and writes), until `expires_at` (the
 * database's clock). The holder renews well before then; a replica that died loses its leases
 * when they expire, and the others claim them.
 */
export const agentLeases = pgTable(
  "agent_leases",
  {
    node: text("node").primaryKey(),
    replica: text("replica").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("agent_leases_replica").on(t.replica)],
);
