import type { Db } from "../db/open";
import type { FleetSink } from "../fleet/poller";
import { recordEvents } from "./event-store";
import { replaceFindings } from "./findings-store";
import { markSeen } from "./node-store";
import { recordSnapshot, stillHolds } from "./snapshot-store";

/** The poller's results, written to the database. */
export function databaseSink(db: Db): FleetSink {
  return {
    async snapshot(node, snapshot, current) {
      await recordSnapshot(db, { ...snapshot, node });
      await replaceFindings(db, node, current, new Date(snapshot.collectedAt));
    },
    unchanged: (node, at) => stillHolds(db, node, at),
    seen: (node, at, error) => markSeen(db, node, at, error),
    events: (node, list) => recordEvents(db, node, list),
  };
}
