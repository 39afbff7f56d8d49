CREATE TABLE "dashboard_replicas" (
	"id" text PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "apply_jobs" ADD COLUMN "replica" text;--> statement-breakpoint
CREATE UNIQUE INDEX "apply_jobs_one_running" ON "apply_jobs" USING btree ("status") WHERE "apply_jobs"."status" = 'running';