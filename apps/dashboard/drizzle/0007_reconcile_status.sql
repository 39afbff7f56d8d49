CREATE TABLE "reconcile_status" (
	"node" text PRIMARY KEY NOT NULL,
	"checked_at" timestamp with time zone NOT NULL,
	"status" jsonb,
	"error" text
);
