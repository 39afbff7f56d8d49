import type { SnapshotStreamMessage } from "@netatlas/agent-api";
import { snapshotDelta, snapshotHash, type AgentEvent, type NodeSnapshot } from "@netatlas/core";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upsertNode } from "../src/server/store/node-store";
import { databaseSink } from "../src/server/store/fleet-sink";
import type { Leadership } from "../src/server/replicas/leadership";
import { leaderSink } from "../src/server/replicas/leader-sink";
import { claimLease, releaseLeases } from "../src/server/replicas/lease-store";
import { ReplicaBus } from "../src/server/replicas/replica-bus";
import { storedNodeConnection } from "../src/server/replicas/stored-node-connection";
import { TokenSeal } from "../src/server/secrets/token-seal";
import { labFleet } from "./lab-fleet";
import { useMigratedPglite } from "./migrated-pglite";

const [base] = labFleet() as [NodeSnapshot];
const at = (iso: string, over: Partial<NodeSnapshot> = {}): NodeSnapshot => ({ ...base, node: "node1", collectedAt: iso, ...over });
const record = (snapshot: NodeSnapshot) => ({ snapshot, hash: snapshotHash(snapshot) });
const event: AgentEvent = { seq: 1, at: "2026-01-01T10:00:01Z", node: "node1", kind: "route", action: "removed", netns: 4026531840, subject: "10.244.1.0/24 via 192.168.50.12" };
const leadsAll = (replicaId: string): Leadership => ({ replicaId, leads: () => true, ledCount: () => 1, onChange: () => undefined });
const leadsNone = (replicaId: string): Leadership => ({ replicaId, leads: () => false, ledCount: () => 0, onChange: () => undefined });

/** Two replicas on one database (PGlite here: one process, two buses): the leader writes and notifies, the follower reads. */
describe("a node served to a replica that does not lead it", () => {
  const database = useMigratedPglite("netatlas-stored-node-");
  let leaderBus: ReplicaBus;
  let followerBus: ReplicaBus;
  const messages: SnapshotStreamMessage[] = [];
  const errors: Error[] = [];
  let stopStream = () => undefined as void;

  beforeAll(async () => {
    const db = database().db;
    leaderBus = await ReplicaBus.open(database(), "replica-a");
    followerBus = await ReplicaBus.open(database(), "replica-b");
    await upsertNode(db, { name: "node1", url: "unix:/run/n1.sock", source: "config" }, new TokenSeal(Buffer.alloc(32)));
    await claimLease(db, "replica-a", "node1", 60_000);
  });

  afterAll(async () => {
    stopStream();
    await leaderBus?.close();
    await followerBus?.close();
  });

  it("streams the newest stored state whole, then every state the leader stores, then heartbeats with the same position", async () => {
    const db = database().db;
    const sink = leaderSink(databaseSink(db), leadsAll("replica-a"), leaderBus);
    const first = at("2026-01-01T10:00:00Z");
    await sink.state("node1", record(first), []);
    const connection = storedNodeConnection(db, followerBus, "node1", { heartbeatMs: 300 });
    stopStream = connection.stream(undefined, (m) => messages.push(m), (e) => errors.push(e));
    await expect.poll(() => messages.length).toBe(1);
    expect(messages[0]).toMatchObject({ type: "full", version: 1, hash: snapshotHash(first), snapshot: first });
    const second = at("2026-01-01T10:00:05Z", { routes: base.routes.slice(1) });
    const notified = Date.now();
    await sink.state("node1", record(second), []);
    await expect.poll(() => messages.filter((m) => m.type === "full").length, { interval: 5 }).toBe(2);
    // The notice, not the heartbeat, brought it.
    expect(Date.now() - notified).toBeLessThan(300);
    expect(messages.at(-1)).toMatchObject({ type: "full", version: 2, hash: snapshotHash(second) });
    expect((messages.at(-1) as { snapshot: NodeSnapshot }).snapshot.routes).toHaveLength(base.routes.length - 1);
    await expect.poll(() => messages.at(-1)?.type, { timeout: 2_000 }).toBe("heartbeat");
    expect(messages.at(-1)).toMatchObject({ epoch: messages[0]!.epoch, version: 2, hash: snapshotHash(second), intervalMs: 300 });
    expect(errors).toEqual([]);
  });

  it("passes on the leader's delta from the state it sent last, reading nothing; a delta from another state brings a read", async () => {
    const db = database().db;
    const sink = leaderSink(databaseSink(db), leadsAll("replica-a"), leaderBus);
    const before = messages.filter((m) => m.type === "full").at(-1) as { snapshot: NodeSnapshot; version: number; hash: string };
    const third = { ...before.snapshot, collectedAt: "2026-01-01T10:00:09.000Z", warnings: ["third"] };
    await sink.state("node1", { snapshot: third, hash: snapshotHash(third), delta: snapshotDelta(before.snapshot, third), deltaFrom: before.hash }, []);
    await expect.poll(() => messages.at(-1)?.type === "delta" || messages.at(-2)?.type === "delta").toBe(true);
    const delta = messages.find((m) => m.type === "delta");
    expect(delta).toMatchObject({ from: before.version, version: before.version + 1, hash: snapshotHash(third), delta: { set: { warnings: ["third"] } } });
    const fourth = { ...third, collectedAt: "2026-01-01T10:00:10.000Z", warnings: ["fourth"] };
    await sink.state("node1", { snapshot: fourth, hash: snapshotHash(fourth), delta: snapshotDelta(before.snapshot, fourth), deltaFrom: "f".repeat(64) }, []);
    await expect.poll(() => messages.filter((m) => m.type === "full").at(-1)?.hash).toBe(snapshotHash(fourth));
  });

  it("says the node is alive without asking the database each heartbeat; it reads only on notices and every so many heartbeats", async () => {
    const db = database().db;
    let reads = 0;
    // Counts the queries the stream makes: every read of the stored state starts with a select.
    const counting = new Proxy(db, { get: (target, key, receiver) => (key === "select" && reads++, Reflect.get(target, key, receiver)) });
    const seen: SnapshotStreamMessage[] = [];
    const stop = storedNodeConnection(counting, followerBus, "node1", { heartbeatMs: 20, readEveryBeats: 1_000 }).stream(undefined, (m) => seen.push(m), (e) => errors.push(e));
    await expect.poll(() => seen.filter((m) => m.type === "heartbeat").length).toBeGreaterThan(10);
    stop();
    expect(seen[0]?.type).toBe("full");
    expect(reads).toBeLessThanOrEqual(3);
  });

  it("answers a poll from the database: the hash alone when it is the one held", async () => {
    const connection = storedNodeConnection(database().db, followerBus, "node1", { heartbeatMs: 300 });
    const whole = await connection.snapshot();
    expect(whole.snapshot?.routes).toHaveLength(base.routes.length - 1);
    expect(await connection.snapshot(whole.hash)).toMatchObject({ hash: whole.hash, snapshot: null });
  });

  it("passes on the agent's events the leader notifies, and writes nothing of a node it does not lead", async () => {
    const db = database().db;
    const followed: AgentEvent[] = [];
    const unfollow = storedNodeConnection(db, followerBus, "node1", { heartbeatMs: 300 }).follow((e) => followed.push(e), () => undefined);
    await leaderSink(databaseSink(db), leadsAll("replica-a"), leaderBus).events("node1", [event]);
    await expect.poll(() => followed).toEqual([event]);
    unfollow();
    // The follower's own sink drops its copies: the event is stored once, by the leader.
    await leaderSink(databaseSink(db), leadsNone("replica-b"), followerBus).events("node1", [{ ...event, seq: 2 }]);
    const rows = (await db.execute(sql`select seq from events where node = 'node1'`)) as unknown as { rows: { seq: number }[] };
    expect(rows.rows.map((r) => r.seq)).toEqual([1]);
  });

  it("ends the stream with the leader's error when it cannot hear the agent, and when no replica leads the node", async () => {
    const db = database().db;
    await leaderSink(databaseSink(db), leadsAll("replica-a"), leaderBus).seen("node1", new Date(), "agent node1 (unix:/run/n1.sock): connect ENOENT");
    await expect.poll(() => errors.map((e) => e.message)).toEqual(["agent node1 (unix:/run/n1.sock): connect ENOENT (as replica replica-a, which leads node1, hears it)"]);
    await leaderSink(databaseSink(db), leadsAll("replica-a"), leaderBus).seen("node1", new Date(), undefined);
    await releaseLeases(db, "replica-a");
    const connection = storedNodeConnection(db, followerBus, "node1", { heartbeatMs: 300 });
    await expect(connection.snapshot()).rejects.toThrow("agent node1: no dashboard replica leads it now (its lease expired); a live replica takes it over within a lease ttl");
  });
});
