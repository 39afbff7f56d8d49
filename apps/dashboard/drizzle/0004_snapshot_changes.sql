CREATE TABLE "snapshot_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"node" text NOT NULL,
	"snapshot_id" bigint NOT NULL,
	"collected_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"hash" text NOT NULL,
	"delta" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "snapshot_changes" ADD CONSTRAINT "snapshot_changes_snapshot_id_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "public"."snapshots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "snapshot_changes_node_collected" ON "snapshot_changes" USING btree ("node","collected_at");--> statement-breakpoint
CREATE INDEX "snapshot_changes_snapshot" ON "snapshot_changes" USING btree ("snapshot_id");