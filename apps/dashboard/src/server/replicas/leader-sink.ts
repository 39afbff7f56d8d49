import type { FleetSink } from "../fleet/poller";
import type { Leadership } from "./leadership";
import type { OutgoingNotice, ReplicaBus } from "./replica-bus";

/**
 * A replica's writes of what it learns: only for the nodes it leads (what it holds of the
 * others came from the database), each followed by a notice that tells the other replicas
 * to read it. Without a bus (PGlite, one process) it only writes.
 */
export function leaderSink(sink: FleetSink, leadership: Leadership, bus: ReplicaBus | undefined, log: (message: string) => void = (m) => console.error(m)): FleetSink {
  const tell = async (notice: OutgoingNotice) => {
    try {
      await bus?.publish(notice);
    } catch (error) {
      log(`replica ${leadership.replicaId}: could not notify the other replicas of node ${notice.node}: ${(error as Error).message}; they read it from the database at their next heartbeat`);
    }
  };
  return {
    async state(node, state, findings) {
      if (!leadership.leads(node)) return;
      await sink.state(node, state, findings);
      await tell({ kind: "state", node, hash: state.hash, delta: state.delta, deltaFrom: state.delta && state.deltaFrom });
    },
    async unchanged(node, at) {
      if (leadership.leads(node)) await sink.unchanged(node, at);
    },
    async seen(node, at, error) {
      if (!leadership.leads(node)) return;
      await sink.seen(node, at, error);
      await tell({ kind: "seen", node, error: error ?? null });
    },
    async events(node, list) {
      if (!leadership.leads(node)) return;
      await sink.events(node, list);
      for (const event of list) await tell({ kind: "event", node, event });
    },
  };
}
