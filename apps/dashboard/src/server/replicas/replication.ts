import { DEFAULT_HEARTBEAT_MS } from "@netatlas/agent-api";
import type { AgentTarget } from "../agent-target";
import type { Database } from "../db/open";
import type { AgentConnection } from "../fleet/agent-connection";
import type { FleetSink } from "../fleet/poller";
import { stopOrphanedJobs } from "../reconcile/job-store";
import { leaderSink } from "./leader-sink";
import { soleLeadership, type Leadership } from "./leadership";
import { LeaseKeeper } from "./lease-keeper";
import { ReplicaBus } from "./replica-bus";
import { newReplicaId } from "./replica-id";
import { ReplicaPresence } from "./replica-presence";
import { storedNodeConnection } from "./stored-node-connection";

/** This process's place among the dashboard replicas on its database. */
export interface Replication {
  replicaId: string;
  leadership: Leadership;
  /** The node as the poller should follow it: from its agent (`direct`) when this replica leads it, from the database and the leader's notices otherwise. */
  connect(target: AgentTarget, direct: () => AgentConnection): AgentConnection;
  /** `sink`, writing only the nodes this replica leads and telling the other replicas of it. */
  sink(sink: FleetSink): FleetSink;
  /** Takes this replica's share of the nodes (the first lease round is awaited); `reconnect` is called for each node whose lead moves. */
  lead(reconnect: (node: string) => void): Promise<void>;
  /** Gives the leases back and signs off, so that the others take over at once. */
  stop(): Promise<void>;
}

export interface ReplicationOptions {
  /** A replica silent this long is gone: its leases and its apply job pass on. */
  ttlMs: number;
  /** The fleet's node names now. */
  nodes: () => readonly string[];
  log?: (message: string) => void;
}

/**
 * Joins the replicas on `database`. PGlite is one process's (its directory is locked): that
 * process leads every node, and every apply job left running is an earlier process's. On
 * PostgreSQL the replica heartbeats, shares the agents out by leases and listens to its peers.
 */
export async function joinReplicas(database: Database, options: ReplicationOptions): Promise<Replication> {
  const log = options.log ?? ((m: string) => console.error(m));
  const replicaId = newReplicaId();
  if (database.kind === "pglite") {
    const orphaned = await stopOrphanedJobs(database.db, replicaId, 0);
    if (orphaned) log(`netatlas dashboard: ${orphaned} apply job(s) were cut off by a restart; marked stopped`);
    const leadership = soleLeadership(replicaId, options.nodes);
    return { replicaId, leadership, connect: (_target, direct) => direct(), sink: (sink) => sink, lead: async () => undefined, stop: async () => undefined };
  }
  const presence = new ReplicaPresence({ db: database.db, id: replicaId, ttlMs: options.ttlMs, log });
  await presence.start();
  const bus = await ReplicaBus.open(database, replicaId, log);
  const keeper = new LeaseKeeper({ db: database.db, replicaId, ttlMs: options.ttlMs, nodes: options.nodes, log });
  return {
    replicaId,
    leadership: keeper,
    connect: (target, direct) => (keeper.leads(target.name) ? direct() : storedNodeConnection(database.db, bus, target.name, { heartbeatMs: DEFAULT_HEARTBEAT_MS })),
    sink: (sink) => leaderSink(sink, keeper, bus, log),
    async lead(reconnect) {
      keeper.onChange((nodes) => nodes.forEach(reconnect));
      await keeper.start();
    },
    async stop() {
      await keeper.stop().catch((error: Error) => log(`replica ${replicaId}: could not give its agent leases back (${error.message}); the others take them when they expire`));
      await bus.close().catch((error: Error) => log(`replica ${replicaId}: ${error.message}`));
      await presence.stop().catch((error: Error) => log(`replica ${replicaId}: could not sign off (${error.message}); the others count it gone after ${options.ttlMs} ms`));
    },
  };
}
