import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The dashboard processes sharing this database, each with the last moment it said it was
 * alive (the database's clock, so replicas on machines whose clocks differ agree on who is live).
 */
export const dashboardReplicas = pgTable("dashboard_replicas", {
  id: text("id").primaryKey(),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  seenAt: timestamp("seen_at", { withTimezone: true }).notNull().defaultNow(),
});
