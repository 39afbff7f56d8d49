import { sql } from "drizzle-orm";
import { bigserial, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/** Every saved version of the fleet spec, with its allocation and what changed from the one before. */
export const fleetSpecs = pgTable("fleet_specs", {
  version: integer("version").primaryKey(),
  savedAt: timestamp("saved_at", { withTimezone: true }).notNull().defaultNow(),
  author: text("author").notNull(),
  /** The spec as validated by core (defaults filled in). */
  spec: jsonb("spec").notNull(),
  /** node name -> pod subnet; kept stable from the version before. */
  allocation: jsonb("allocation").$type<Record<string, string>>().notNull(),
  /** Docker network -> host -> subnet, when the spec has a docker section; kept stable like the pod subnets. */
  dockerAllocation: jsonb("docker_allocation").$type<Record<string, Record<string, string>>>().notNull().default({}),
  /** Field-level changes from the version before: [{path, from, to}]. */
  changes: jsonb("changes").notNull(),
});

/** One round of plans from the agents (for a spec version, or a repair of one node's kept intent). */
export const planSets = pgTable("plan_sets", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  author: text("author").notNull(),
  kind: text("kind", { enum: ["spec", "repair"] }).notNull(),
  specVersion: integer("spec_version"),
  /** Per node: the plan (ops, hash, conflicts) or why it is excluded. */
  nodes: jsonb("nodes").notNull(),
});

/**
 * An apply run by the server in waves; the page polls it. At most one runs at a time in the
 * whole fleet: the database refuses a second "running" row, whichever replica inserts it.
 */
export const applyJobs = pgTable(
  "apply_jobs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    planSetId: integer("plan_set_id").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    author: text("author").notNull(),
    status: text("status", { enum: ["running", "succeeded", "failed", "stopped"] }).notNull(),
    /** Why it stopped or failed, in words. */
    message: text("message"),
    /** Per node: wave, state, op results; and the post-apply checks. */
    progress: jsonb("progress").notNull(),
    /** The dashboard replica that runs it (dashboard_replicas.id); null in jobs from before replicas. */
    replica: text("replica"),
  },
  (t) => [uniqueIndex("apply_jobs_one_running").on(t.status).where(sql`${t.status} = 'running'`)],
);

/**
 * Each node's reconcile status (mode, kept intent, drift, journal) as the replica that
 * leads it last read it from the agent, or why it could not: so that every replica's
 * Drift page and apply checks know the nodes it does not lead.
 */
export const reconcileStatus = pgTable("reconcile_status", {
  node: text("node").primaryKey(),
  checkedAt: timestamp("checked_at", { withTimezone: true }).notNull(),
  status: jsonb("status"),
  error: text("error"),
});

/** Drift each node's agent reports from its kept intent, with when it was first seen. */
export const drift = pgTable("drift", {
  node: text("node").primaryKey(),
  firstSeenAt: timestamp("first_seen_at", { withTimezone: true }).notNull(),
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull(),
  ops: jsonb("ops").notNull(),
});
