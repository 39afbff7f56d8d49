import type { AgentTarget } from "./agent-target";
import { SessionEnds } from "./auth/session-watch";
import { SignInLimiter } from "./auth/sign-in-limiter";
import { loadConfig, type DashboardConfig } from "./config";
import { openDatabase, type Database } from "./db/open";
import { connectAgent } from "./fleet/agent-connection";
import { discoverAgents } from "./fleet/kubernetes-discovery";
import { DashboardMetrics } from "./metrics/dashboard-metrics";
import { FleetPoller } from "./fleet/poller";
import { databaseSink } from "./store/fleet-sink";
import { removeNode, sealPlainTokens, storedNodes, upsertNode } from "./store/node-store";
import { agentStatusReader, DriftMonitor } from "./reconcile/drift-monitor";
import { SnapshotIntake } from "./fleet/intake/snapshot-intake";
import { pruneHistory } from "./store/retention";
import type { Leadership } from "./replicas/leadership";
import { registerReplicaMetrics } from "./replicas/replica-metrics";
import { joinReplicas } from "./replicas/replication";
import { secretKey } from "./secrets/secret-key";
import { TokenSeal } from "./secrets/token-seal";

export interface Runtime {
  config: DashboardConfig;
  database: Database;
  /** This process among the dashboard replicas on one database (apply jobs record it), and the nodes it leads. */
  replicaId: string;
  leadership: Leadership;
  poller: FleetPoller;
  /** Each agent's reconcile status (mode, kept intent, drift), asked on the poll interval. */
  drift: DriftMonitor;
  /** Failed sign-ins per client address and overall, in this process. */
  signInLimiter: SignInLimiter;
  /** Sign-outs, for the live streams of those sessions. */
  sessionEnds: SessionEnds;
  /** Seals the tokens of nodes added in the UI for the database. */
  tokenSeal: TokenSeal;
  /** What /metrics serves. */
  metrics: DashboardMetrics;
  /** Re-reads the node list (configuration, database, Kubernetes) and hands it to the poller. */
  refreshTargets(): Promise<void>;
  /** Stops polling and closes the database (tests; the server runs until its process ends). */
  stop(): Promise<void>;
}

const KEY = Symbol.for("netatlas.dashboard.runtime");
type Holder = { [KEY]?: Promise<Runtime> };

/** The one runtime of this server process (Next may load this module more than once, so it lives on globalThis). */
export function runtime(): Promise<Runtime> {
  const holder = globalThis as Holder;
  holder[KEY] ??= startRuntime(loadConfig(process.env)).catch((error) => {
    delete holder[KEY];
    throw error;
  });
  return holder[KEY];
}

export async function startRuntime(config: DashboardConfig, options: { migrationsDir?: string } = {}): Promise<Runtime> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, migrationsDir: options.migrationsDir });
  const tokenSeal = new TokenSeal(secretKey(config.dataDir, config.secretKey));
  const unsealed = await sealPlainTokens(database.db, tokenSeal);
  if (unsealed) console.error(`netatlas dashboard: ${unsealed} agent token(s) stored in plain text by an older version are sealed or dropped now; older copies may remain in the database's files and backups, so rotate those agents' tokens`);
  const replication = await joinReplicas(database, { ttlMs: config.leaseTtlMs, nodes: () => poller.targets().map((t) => t.name) });
  const { replicaId, leadership } = replication;
  // Each node's agent is asked by the replica that leads it; the others read what it stored.
  const drift = new DriftMonitor({ db: database.db, targets: () => poller.targets(), leads: (node) => leadership.leads(node), read: agentStatusReader(config.agentTimeoutMs), intervalMs: config.statusCheckMs, timeoutMs: config.agentTimeoutMs });
  const sink = replication.sink(databaseSink(database.db));
  // Whole snapshots are fetched, checked and their findings found on a thread of their own (the app runs from its directory, as the migrations say).
  const intake = SnapshotIntake.ofBuild(process.cwd());
  const metrics = new DashboardMetrics({ nodes: () => poller.nodes(), pollIntervalMs: config.pollIntervalMs });
  registerReplicaMetrics(metrics.registry, leadership);
  let coldStart = true;
  const poller = new FleetPoller({
    connect: (target) => replication.connect(target, () => connectAgent(target, config.agentTimeoutMs, config.agentMaxAnswerBytes, undefined, intake)),
    // An agent's drift or repair event: ask that agent for its reconcile status now rather than at the next check.
    sink: {
      ...sink,
      events: (node, list) => {
        metrics.agentEvents.inc({ node }, list.length);
        if (list.some((e) => e.kind === "drift" || e.kind === "repair")) void drift.checkNode(node);
        return sink.events(node, list);
      },
    },
    intervalMs: config.pollIntervalMs,
    timeoutMs: config.agentTimeoutMs,
    concurrency: config.concurrency,
    onPoll: (node, ms, outcome) => metrics.polled(node, ms / 1000, outcome),
    onStream: (node, what) => {
      if (what === "failed") return metrics.streamFailures.inc({ node });
      metrics.streamMessages.inc({ type: what });
      // A stream that restarts: the reconciler may have changed while it was away (a cold start asks every node once its streams have opened).
      if (what === "full" && !coldStart) void drift.checkNode(node);
    },
  });
  // Configuration is the truth for configured nodes (and holds their tokens): one dropped from it goes from the database too.
  const configured = new Set(config.agents.map((a) => a.name));
  for (const stale of (await storedNodes(database.db, tokenSeal)).filter((n) => n.source === "config" && !configured.has(n.name))) await removeNode(database.db, stale.name);
  for (const agent of config.agents) await upsertNode(database.db, agent, tokenSeal);
  let discovered: AgentTarget[] = [];
  const refreshTargets = async () => {
    if (config.kubernetes) {
      try {
        discovered = await discoverAgents(config.kubernetes.namespace, config.kubernetes.service, config.kubernetes.token);
      } catch (error) {
        console.error(`agent discovery: ${(error as Error).message}; keeping the ${discovered.length} agents found before`);
      }
    }
    const known = [...config.agents, ...(await storedNodes(database.db, tokenSeal)).filter((n) => n.source !== "config")];
    const names = new Set(known.map((n) => n.name));
    poller.setTargets([...known, ...discovered.filter((d) => !names.has(d.name))]);
  };
  await refreshTargets();
  await replication.lead((node) => poller.reconnect(node));
  const startedAt = Date.now();
  poller.start();
  drift.start();
  // The nodes' state first, then their reconcilers: the check of the whole fleet comes once the streams have opened (but for nodes an event asked meanwhile).
  void poller.openingsSettled().then(() => {
    coldStart = false;
    return drift.checkOnce({ skipCheckedSince: startedAt });
  });
  const prune = () => pruneHistory(database.db, { historyDays: config.retentionDays, auditDays: config.auditRetentionDays }).catch((error) => console.error(`retention: ${(error as Error).message}`));
  await prune();
  const housekeeping = setInterval(() => {
    void refreshTargets();
    void prune();
  }, 60_000);
  housekeeping.unref();
  console.error(`netatlas dashboard: ${database.kind} at ${database.location}; ${poller.targets().length} agent(s), ${leadership.ledCount()} led by this replica (${replicaId})`);
  const stop = async () => {
    clearInterval(housekeeping);
    await poller.stop();
    await intake?.stop();
    drift.stop();
    await replication.stop();
    await database.close();
  };
  return { config, database, replicaId, leadership, poller, drift, signInLimiter: new SignInLimiter(), sessionEnds: new SessionEnds(), tokenSeal, metrics, refreshTargets, stop };
}
