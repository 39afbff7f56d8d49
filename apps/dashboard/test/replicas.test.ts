import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../src/server/db/open";
import { ApplyRefused, startApplyJob } from "../src/server/reconcile/apply-job";
import { job } from "../src/server/reconcile/job-store";
import type { AgentLookup } from "../src/server/reconcile/node-agents";
import type { PlanSet } from "../src/server/reconcile/plan-set-store";
import type { ReconcileAgent } from "../src/server/reconcile/reconcile-agent";
import { ReplicaPresence } from "../src/server/replicas/replica-presence";
import { LeaseKeeper } from "../src/server/replicas/lease-keeper";
import { claimLease, currentLeases, releaseLeases } from "../src/server/replicas/lease-store";
import { leaderSink } from "../src/server/replicas/leader-sink";
import { ReplicaBus } from "../src/server/replicas/replica-bus";
import { storedNodeConnection } from "../src/server/replicas/stored-node-connection";
import { databaseSink } from "../src/server/store/fleet-sink";
import { leave, liveReplicas } from "../src/server/replicas/replica-store";
import type { PlanEntry } from "../src/fleet/reconcile-model";
import type { SnapshotStreamMessage } from "@netatlas/agent-api";
import { snapshotHash, type NodeSnapshot, type Plan } from "@netatlas/core";
import { labFleet } from "./lab-fleet";
import { postgresUnavailable, startPostgres, type PostgresCluster } from "./postgres-cluster";

const migrationsDir = fileURLToPath(new URL("../drizzle", import.meta.url));
const first: NodeSnapshot = { ...(labFleet()[0] as NodeSnapshot), node: "node1", collectedAt: "2026-01-01T10:00:00Z" };
const planned = (node: string): PlanEntry => ({ node, dashboardNode: node, status: "planned", plan: { node, ops: [], hash: node.padEnd(64, "a"), conflicts: [] } as Plan, error: null });
const set: PlanSet = { id: 1, createdAt: "2026-01-01T00:00:00.000Z", author: "admin", kind: "spec", specVersion: 1, nodes: [planned("node1")] };

/** Agents whose applies wait until `release` is called. */
function heldAgents(): { agents: AgentLookup; release: () => void } {
  let release = () => undefined as void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const agent = { applyPlan: async () => (await held, { node: "node1", planHash: "", results: [], remaining: [], conflicts: [] }) } as unknown as ReconcileAgent;
  return { agents: (node) => ({ ok: true, dashboardNode: node, agent }), release };
}

const unavailable = postgresUnavailable();
if (unavailable) console.warn(`dashboard replicas on PostgreSQL skipped: ${unavailable}`);

/** Two openDatabase handles on one real PostgreSQL stand in for two dashboard replicas. */
describe.skipIf(!!unavailable)("dashboard replicas on one PostgreSQL", () => {
  let cluster: PostgresCluster | undefined;
  const replicas: Database[] = [];
  const [a, b] = [() => replicas[0] as Database, () => replicas[1] as Database];

  beforeAll(async () => {
    cluster = await startPostgres();
    // Both at once, as two pods of a Deployment start: the migrations run once between them.
    replicas.push(...(await Promise.all([0, 1].map(() => openDatabase({ databaseUrl: cluster!.url, dataDir: "unused", migrationsDir })))));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.close()));
    await cluster?.stop();
  }, 30_000);

  it("gives one apply job to two replicas that start one at the same moment, and refuses the other with CONFLICT", async () => {
    const { agents, release } = heldAgents();
    const outcomes = await Promise.allSettled([a(), b()].map((r, i) => startApplyJob(r.db, set, { allowDisruptive: false }, { author: "admin", replica: `replica-${i}` }, { agents, check: async () => [] })));
    const started = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
    const refused = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as ApplyRefused] : []));
    expect(started).toHaveLength(1);
    expect(refused.map((e) => [e.code, e.message])).toEqual([["CONFLICT", `form: apply job ${started[0]!.job.id} is still running; wait for it to finish`]]);
    release();
    expect(await started[0]!.done).toBe("succeeded");
  });

  it("stops a replica's running job once it stopped heartbeating for the ttl, not while it beats", async () => {
    const ttlMs = 1_000;
    // The replica that dies has a database handle of its own, closed under it as a killed process's would be.
    const dying = await openDatabase({ databaseUrl: cluster!.url, dataDir: "unused", migrationsDir });
    const logged: string[] = [];
    const one = new ReplicaPresence({ db: dying.db, id: "replica-one", ttlMs, log: () => undefined });
    const two = new ReplicaPresence({ db: b().db, id: "replica-two", ttlMs, log: (m) => logged.push(m) });
    await Promise.all([one.start(), two.start()]);
    try {
      expect(await liveReplicas(b().db, ttlMs)).toEqual(["replica-one", "replica-two"]);
      const { agents, release } = heldAgents();
      const running = await startApplyJob(dying.db, set, { allowDisruptive: false }, { author: "admin", replica: "replica-one" }, { agents, check: async () => [] });
      await new Promise((resolve) => setTimeout(resolve, 2 * ttlMs));
      expect((await job(b().db, running.job.id))?.status).toBe("running");
      await dying.close();
      await expect.poll(async () => (await job(b().db, running.job.id))?.status, { timeout: 3 * ttlMs }).toBe("stopped");
      expect(logged).toEqual(["netatlas dashboard: 1 apply job(s) ran in a replica that stopped during them; marked stopped"]);
      expect(await liveReplicas(b().db, ttlMs)).toEqual(["replica-two"]);
      release();
    } finally {
      await one.stop().catch(() => undefined);
      await two.stop();
      // The dead replica's row would count it live for a later test with a longer ttl.
      await leave(b().db, "replica-one");
    }
  });

  it("shares the agents between two replicas, each node led by exactly one, and a dead replica's pass to the other within seconds", async () => {
    const ttlMs = 1_500;
    const nodes = ["n1", "n2", "n3", "n4", "n5"];
    const dying = await openDatabase({ databaseUrl: cluster!.url, dataDir: "unused", migrationsDir });
    const quiet = () => undefined;
    const presences = [new ReplicaPresence({ db: a().db, id: "replica-a", ttlMs }), new ReplicaPresence({ db: dying.db, id: "replica-b", ttlMs, log: quiet })];
    const keepers = [new LeaseKeeper({ db: a().db, replicaId: "replica-a", ttlMs, nodes: () => nodes }), new LeaseKeeper({ db: dying.db, replicaId: "replica-b", ttlMs, nodes: () => nodes, log: quiet })];
    const [first, second] = keepers as [LeaseKeeper, LeaseKeeper];
    const moved: string[][] = [];
    first.onChange((n) => moved.push(n));
    try {
      await presences[0]!.start();
      await first.start();
      expect(nodes.filter((n) => first.leads(n))).toEqual(nodes);
      await presences[1]!.start();
      await second.start();
      const led = () => nodes.map((n) => [first.leads(n), second.leads(n)]);
      // Within two rounds the first gives back its surplus over ceil(5 / 2) and the second claims it.
      await expect.poll(() => [first.ledCount(), second.ledCount()], { timeout: 3 * ttlMs, interval: 50 }).toEqual([3, 2]);
      expect(led().every(([x, y]) => x !== y)).toBe(true);
      const leases = await currentLeases(b().db);
      expect(nodes.map((n) => leases.get(n))).toEqual(nodes.map((n) => (first.leads(n) ? "replica-a" : "replica-b")));
      const seconds = nodes.filter((n) => second.leads(n));
      // The second replica dies with its leases: it stops leading within the ttl, the first leads all within a few.
      const died = Date.now();
      await dying.close();
      await expect.poll(() => first.ledCount(), { timeout: 4 * ttlMs, interval: 50 }).toBe(5);
      console.log(`a dead replica's ${seconds.length} nodes were led again ${Date.now() - died} ms after it died (ttl ${ttlMs} ms)`);
      expect(second.ledCount()).toBe(0);
      expect(moved.at(-1)?.sort()).toEqual(seconds);
    } finally {
      for (const k of keepers) await k.stop().catch(() => undefined);
      for (const p of presences) await p.stop().catch(() => undefined);
    }
  });

  it("tells a replica that does not lead a node of the leader's new state over LISTEN/NOTIFY, at once", async () => {
    const [leaderBus, followerBus] = await Promise.all([ReplicaBus.open(a(), "replica-a"), ReplicaBus.open(b(), "replica-b")]);
    const messages: SnapshotStreamMessage[] = [];
    const errors: Error[] = [];
    let stop = () => undefined as void;
    try {
      await claimLease(a().db, "replica-a", "node1", 60_000);
      const sink = leaderSink(databaseSink(a().db), { replicaId: "replica-a", leads: () => true, ledCount: () => 1, onChange: () => undefined }, leaderBus);
      await sink.state("node1", { snapshot: first, hash: snapshotHash(first) }, []);
      stop = storedNodeConnection(b().db, followerBus, "node1", { heartbeatMs: 60_000 }).stream(undefined, (m) => messages.push(m), (e) => errors.push(e));
      const fulls = () => messages.filter((m) => m.type === "full");
      await expect.poll(() => fulls().length).toBe(1);
      const second = { ...first, collectedAt: "2026-01-01T10:00:05Z", routes: first.routes.slice(1) };
      const stored = Date.now();
      await sink.state("node1", { snapshot: second, hash: snapshotHash(second) }, []);
      await expect.poll(() => fulls().length, { interval: 5, timeout: 1_000 }).toBe(2);
      console.log(`a state stored by one replica reached the other's stream ${Date.now() - stored} ms later`);
      expect(fulls().map((m) => m.hash)).toEqual([snapshotHash(first), snapshotHash(second)]);
      expect(errors).toEqual([]);
    } finally {
      stop();
      await releaseLeases(a().db, "replica-a");
      await Promise.all([leaderBus.close(), followerBus.close()]);
    }
  });
});
