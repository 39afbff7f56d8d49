import { bigint, bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

export * from "./auth-schema";
export * from "./reconcile-schema";
export * from "./replica-schema";

/** Agents the dashboard asks: from configuration, added in the UI, or discovered in Kubernetes. */
export const nodes = pgTable("nodes", {
  name: text("name").primaryKey(),
  url: text("url").notNull(),
  /**
   * The read token of a node added in the UI, sealed (TokenSeal) under a key kept outside
   * the database; null for a configured node, whose token stays in the configuration.
   */
  token: text("token"),
  source: text("source", { enum: ["config", "ui", "kubernetes"] }).notNull(),
  addedAt: timestamp("added_at", { withTimezone: true }).notNull().defaultNow(),
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true }),
  lastError: text("last_error"),
});

/** A node's snapshot, stored only when it differs from the one before (same hash: not stored again). */
export const snapshots = pgTable(
  "snapshots",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    node: text("node").notNull(),
    collectedAt: timestamp("collected_at", { withTimezone: true }).notNull(),
    /** When this same content was last seen, so history knows how long it held. */
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull(),
    hash: text("hash").notNull(),
    body: jsonb("body").notNull(),
  },
  (t) => [index("snapshots_node_collected").on(t.node, t.collectedAt)],
);

/**
 * A node's states after a stored snapshot, each as the delta from the state before
 * (core's SnapshotDelta), as its agent streamed it: history is recorded from the deltas,
 * with a whole snapshot (a row in `snapshots`) now and then to start from.
 */
export const snapshotChanges = pgTable(
  "snapshot_changes",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    node: text("node").notNull(),
    /** The whole snapshot these changes start from (every change after it up to the next one). */
    snapshotId: bigint("snapshot_id", { mode: "number" })
      .notNull()
      .references(() => snapshots.id, { onDelete: "cascade" }),
    collectedAt: timestamp("collected_at", { withTimezone: true }).notNull(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull(),
    /** The agent's hash of the state after this change. */
    hash: text("hash").notNull(),
    delta: jsonb("delta").notNull(),
  },
  (t) => [index("snapshot_changes_node_collected").on(t.node, t.collectedAt), index("snapshot_changes_snapshot").on(t.snapshotId)],
);

/** The findings a node has now, with when each was first seen. */
export const findings = pgTable(
  "findings",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    node: text("node").notNull(),
    key: text("key").notNull(),
    code: text("code").notNull(),
    severity: text("severity").notNull(),
    message: text("message").notNull(),
    hint: text("hint"),
    subjects: jsonb("subjects").$type<string[]>().notNull(),
    firstSeenAt: timestamp("first_seen_at", { withTimezone: true }).notNull(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("findings_node_key").on(t.node, t.key)],
);

/** Changes the agents reported over their event streams. */
export const events = pgTable(
  "events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    node: text("node").notNull(),
    seq: integer("seq").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    kind: text("kind").notNull(),
    action: text("action").notNull(),
    netns: bigint("netns", { mode: "number" }),
    subject: text("subject").notNull(),
    detail: text("detail"),
  },
  (t) => [index("events_node_at").on(t.node, t.at)],
);

/** Who changed what, through the dashboard. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    target: text("target").notNull(),
    detail: jsonb("detail"),
  },
  (t) => [index("audit_log_at").on(t.at)],
);

/** Dashboard-wide settings, e.g. the admin password's scrypt hash when it was set on first start. */
export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});
