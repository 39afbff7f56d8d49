CREATE TABLE "apply_jobs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"plan_set_id" integer NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"author" text NOT NULL,
	"status" text NOT NULL,
	"message" text,
	"progress" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "drift" (
	"node" text PRIMARY KEY NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"ops" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fleet_specs" (
	"version" integer PRIMARY KEY NOT NULL,
	"saved_at" timestamp with time zone DEFAULT now() NOT NULL,
	"author" text NOT NULL,
	"spec" jsonb NOT NULL,
	"allocation" jsonb NOT NULL,
	"changes" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_sets" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"author" text NOT NULL,
	"kind" text NOT NULL,
	"spec_version" integer,
	"nodes" jsonb NOT NULL
);
--> statement-breakpoint
CREATE INDEX "audit_log_at" ON "audit_log" USING btree ("at");