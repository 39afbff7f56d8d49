import type { Db } from "../db/open";
import type { FleetSink } from "../fleet/node-writes";
import { recordEvents } from "./event-store";
import { replaceFindings } from "./findings-store";
import { markSeen } from "./node-store";
import { recordState, stillHolds } from "./snapshot-store";

/** What the dashboard learns of its nodes, written to the database. */
export function databaseSink(db: Db): FleetSink {
  return {
    async state(node, state, current) {
      await recordState(db, node, state);
      await replaceFindings(db, node, current, new Date(state.snapshot.collectedAt));
    },
    unchanged: (node, at) => stillHolds(db, node, at),
    seen: (node, at, error) => markSeen(db, node, at, error),
    events: (node, list) => recordEvents(db, node, list),
  };
}
