CREATE TABLE "agent_leases" (
	"node" text PRIMARY KEY NOT NULL,
	"replica" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "agent_leases_replica" ON "agent_leases" USING btree ("replica");