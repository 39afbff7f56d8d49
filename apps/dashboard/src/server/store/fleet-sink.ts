import type { Db } from "../db/open";
import type { FleetSink } from "../fleet/node-writes";
import { recordEvents } from "./event-store";
import { replaceFindings } from "./findings-store";
import { recordState } from "./snapshot-store";
import { VisitBatch } from "./visit-batch";

/** What the dashboard learns of its nodes, written to the database ("seen" and "unchanged" a moment later, many nodes' at once). */
export function databaseSink(db: Db, log: (message: string) => void = (m) => console.error(m)): FleetSink {
  const visits = new VisitBatch(db, log);
  return {
    async state(node, state, current) {
      await recordState(db, node, state);
      await replaceFindings(db, node, current, new Date(state.snapshot.collectedAt));
    },
    unchanged: (node, at) => visits.unchangedAt(node, at),
    seen: (node, at, error) => visits.seenAt(node, at, error),
    events: (node, list) => recordEvents(db, node, list),
  };
}
