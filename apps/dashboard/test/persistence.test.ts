import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { snapshotDelta, snapshotHash, type AgentEvent, type Finding, type NodeSnapshot } from "@netatlas/core";
import { adminPasswordIsSet, checkAdminPassword, setFirstAdminPassword } from "../src/server/auth/admin-password";
import { apiTokenAccount, createApiToken, listApiTokens } from "../src/server/auth/api-tokens";
import { createSession, endSession, sessionAccount } from "../src/server/auth/sessions";
import { addUser, checkUserPassword, removeUser, setUserRole } from "../src/server/auth/user-store";
import { openDatabase, type Database } from "../src/server/db/open";
import { auditEntries, audit } from "../src/server/store/audit-store";
import { recordEvents, storedEvents } from "../src/server/store/event-store";
import { replaceFindings, storedFindings } from "../src/server/store/findings-store";
import { apiTokens, nodes, snapshots, users } from "../src/server/db/schema";
import { TokenSeal } from "../src/server/secrets/token-seal";
import { markSeen, removeNode, sealPlainTokens, storedNodes, upsertNode } from "../src/server/store/node-store";
import { pruneHistory } from "../src/server/store/retention";
import { CHANGES_PER_SNAPSHOT, recordState, snapshotAt, snapshotTimeline, stillHold } from "../src/server/store/snapshot-store";
import { EAGER_KEYS, snapshotOfParts, textOfSnapshot } from "../src/server/fleet/intake/lazy-parts";
import { labFleet } from "./lab-fleet";
import { postgresUnavailable, startPostgres, type PostgresCluster } from "./postgres-cluster";

const migrationsDir = fileURLToPath(new URL("../drizzle", import.meta.url));
const [base] = labFleet() as [NodeSnapshot];
const aRoute = base.routes[0] as NodeSnapshot["routes"][number];
const at = (iso: string, over: Partial<NodeSnapshot> = {}): NodeSnapshot => ({ ...base, node: "node1", collectedAt: iso, ...over });
/** A state as the poller hands it to the store: with the agent's hash, and the delta from `before` when it came as one. */
const state = (snapshot: NodeSnapshot, before?: NodeSnapshot) => ({ snapshot, hash: snapshotHash(snapshot), delta: before && snapshotDelta(before, snapshot), deltaFrom: before && snapshotHash(before) });
const finding = (code: string, subject: string): Finding => ({ code, severity: "warning", message: `${code} on ${subject}`, hint: "fix it", subjects: [subject] });

/** The same behaviour on both engines: one schema, one set of migrations. */
function persistenceSuite(engine: string, open: () => Promise<Database>) {
  describe(`persistence on ${engine}`, () => {
    let database: Database;
    beforeAll(async () => {
      database = await open();
    }, 60_000);
    afterAll(async () => {
      await database?.close();
    });

    it("applies the migrations once, and again without change", async () => {
      const tables = (await database.db.execute(sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`)) as unknown as { rows: { table_name: string }[] };
      expect(tables.rows.map((r) => r.table_name)).toEqual(["agent_leases", "api_tokens", "apply_jobs", "audit_log", "dashboard_replicas", "drift", "events", "findings", "fleet_specs", "nodes", "plan_sets", "reconcile_status", "sessions", "settings", "snapshot_changes", "snapshots", "users"]);
    });

    it("stores a snapshot only when it changed, and finds the state at any moment", async () => {
      const db = database.db;
      expect(await recordState(db, "node1", state(at("2026-01-01T10:00:00Z")))).toEqual({ stored: "snapshot" });
      expect(await recordState(db, "node1", state(at("2026-01-01T10:00:05Z")))).toEqual({ stored: "none" });
      const withoutRoute = at("2026-01-01T10:01:00Z", { routes: base.routes.slice(1) });
      expect(await recordState(db, "node1", state(withoutRoute))).toEqual({ stored: "snapshot" });
      const timeline = await snapshotTimeline(db, "node1");
      expect(timeline.map((t) => [t.collectedAt.toISOString(), t.lastSeenAt.toISOString()])).toEqual([
        ["2026-01-01T10:01:00.000Z", "2026-01-01T10:01:00.000Z"],
        ["2026-01-01T10:00:00.000Z", "2026-01-01T10:00:05.000Z"],
      ]);
      expect((await snapshotAt(db, "node1", new Date("2026-01-01T10:00:30Z")))?.routes).toHaveLength(base.routes.length);
      expect((await snapshotAt(db, "node1", new Date("2026-01-01T11:00:00Z")))?.routes).toHaveLength(base.routes.length - 1);
      expect(await snapshotAt(db, "node1", new Date("2025-12-31T00:00:00Z"))).toBeUndefined();
    });

    it("stores a snapshot still as the JSON text it came in from that text, under the node's name here (the agent's answer, or the snapshot alone)", async () => {
      const db = database.db;
      const sent = at("2026-04-01T10:00:00.000Z", { node: "as-the-agent-names-it" });
      const keys = Object.keys(sent);
      const small = Object.fromEntries(keys.filter((k) => EAGER_KEYS.has(k)).map((k) => [k, sent[k as keyof NodeSnapshot]]));
      const texts = [
        { node: "from-answer", source: { text: `[{"result":{"data":{"type":"full","version":7,"snapshot":${JSON.stringify(sent)}}}}]`, path: ["0", "result", "data", "snapshot"] } },
        { node: "from-snapshot", source: { text: JSON.stringify(sent), path: [] } },
      ];
      try {
        for (const { node, source } of texts) {
          const parts = snapshotOfParts(small, keys, source);
          expect(await recordState(db, node, { snapshot: parts, hash: snapshotHash(sent) })).toEqual({ stored: "snapshot" });
          expect(textOfSnapshot(parts)).toBe(source);
          expect(await snapshotAt(db, node, new Date(sent.collectedAt))).toEqual({ ...sent, node });
        }
      } finally {
        await db.delete(snapshots).where(inArray(snapshots.node, texts.map((t) => t.node)));
      }
    });

    it("marks many nodes' newest stored states as still holding in one statement: a node's newest change, or else its newest whole snapshot", async () => {
      const db = database.db;
      const nodesHere = ["held-changed", "held-whole", "held-after-changes", "held-tied"];
      const held = (node: string, iso: string, over: Partial<NodeSnapshot> = {}) => at(iso, { node, ...over });
      const fewerRoutes = { routes: base.routes.slice(1) };
      try {
        const changedFrom = held("held-changed", "2026-03-01T10:00:00.000Z");
        await recordState(db, "held-changed", state(changedFrom));
        expect(await recordState(db, "held-changed", state(held("held-changed", "2026-03-01T10:01:00.000Z", fewerRoutes), changedFrom))).toEqual({ stored: "change" });
        await recordState(db, "held-whole", state(held("held-whole", "2026-03-01T10:00:00.000Z")));
        await recordState(db, "held-whole", state(held("held-whole", "2026-03-01T10:02:00.000Z", fewerRoutes)));
        // An older snapshot with a change, then a newer whole one: the newer one holds, not the old change.
        const early = held("held-after-changes", "2026-03-01T10:00:00.000Z");
        await recordState(db, "held-after-changes", state(early));
        await recordState(db, "held-after-changes", state(held("held-after-changes", "2026-03-01T10:01:00.000Z", fewerRoutes), early));
        await recordState(db, "held-after-changes", state(held("held-after-changes", "2026-03-01T10:02:00.000Z")));
        // Two whole snapshots collected at the same moment: the one stored last holds.
        await recordState(db, "held-tied", state(held("held-tied", "2026-03-01T10:00:00.000Z")));
        await recordState(db, "held-tied", state(held("held-tied", "2026-03-01T10:00:00.000Z", fewerRoutes)));
        let statements = 0;
        const counted = new Proxy(db, { get: (target, key, receiver) => (key === "execute" ? (...args: unknown[]) => (statements++, (target.execute as (...a: unknown[]) => unknown).apply(target, args)) : Reflect.get(target, key, receiver)) }) as typeof db;
        await stillHold(counted, [
          { node: "held-changed", at: new Date("2026-03-01T10:05:00.000Z") },
          { node: "held-whole", at: new Date("2026-03-01T10:06:00.000Z") },
          { node: "held-after-changes", at: new Date("2026-03-01T10:07:00.000Z") },
          { node: "held-tied", at: new Date("2026-03-01T10:08:00.000Z") },
          { node: "held-nothing-stored", at: new Date("2026-03-01T10:09:00.000Z") },
        ]);
        expect(statements).toBe(1);
        const seen = async (node: string) => (await db.select({ id: snapshots.id, collectedAt: snapshots.collectedAt, lastSeenAt: snapshots.lastSeenAt }).from(snapshots).where(eq(snapshots.node, node)).orderBy(snapshots.id)).map((s) => [s.collectedAt.toISOString(), s.lastSeenAt.toISOString()]);
        const changes = async (node: string) => (await snapshotTimeline(db, node)).filter((t) => t.id.startsWith("c")).map((t) => [t.collectedAt.toISOString(), t.lastSeenAt.toISOString()]);
        expect([await seen("held-changed"), await changes("held-changed")]).toEqual([[["2026-03-01T10:00:00.000Z", "2026-03-01T10:00:00.000Z"]], [["2026-03-01T10:01:00.000Z", "2026-03-01T10:05:00.000Z"]]]);
        expect(await seen("held-whole")).toEqual([
          ["2026-03-01T10:00:00.000Z", "2026-03-01T10:00:00.000Z"],
          ["2026-03-01T10:02:00.000Z", "2026-03-01T10:06:00.000Z"],
        ]);
        expect([await seen("held-after-changes"), await changes("held-after-changes")]).toEqual([
          [["2026-03-01T10:00:00.000Z", "2026-03-01T10:00:00.000Z"], ["2026-03-01T10:02:00.000Z", "2026-03-01T10:07:00.000Z"]],
          [["2026-03-01T10:01:00.000Z", "2026-03-01T10:01:00.000Z"]],
        ]);
        expect(await seen("held-tied")).toEqual([
          ["2026-03-01T10:00:00.000Z", "2026-03-01T10:00:00.000Z"],
          ["2026-03-01T10:00:00.000Z", "2026-03-01T10:08:00.000Z"],
        ]);
        expect(await seen("held-nothing-stored")).toEqual([]);
      } finally {
        // The retention test below counts what it prunes of the whole history.
        await db.delete(snapshots).where(inArray(snapshots.node, nodesHere));
      }
    });

    it("records streamed states as their deltas, rebuilds any moment from them, and stores a whole snapshot every so often", async () => {
      const db = database.db;
      const first = at("2026-02-01T10:00:00.000Z", { node: "streamed" });
      expect(await recordState(db, "streamed", state(first))).toEqual({ stored: "snapshot" });
      let now = first;
      const states = [first];
      for (let i = 1; i <= CHANGES_PER_SNAPSHOT + 1; i++) {
        const next: NodeSnapshot = { ...now, collectedAt: new Date(Date.parse(first.collectedAt) + i * 1000).toISOString(), routes: [...now.routes.slice(i === 1 ? 0 : 1), { ...aRoute, dst: `10.66.${i}.0/24` }] };
        const { stored } = await recordState(db, "streamed", state(next, now));
        expect(stored).toBe(i <= CHANGES_PER_SNAPSHOT ? "change" : "snapshot");
        states.push(next);
        now = next;
      }
      for (const i of [0, 1, 2, 57, CHANGES_PER_SNAPSHOT, CHANGES_PER_SNAPSHOT + 1]) {
        const want = states[i] as NodeSnapshot;
        const held = await snapshotAt(db, "streamed", new Date(Date.parse(want.collectedAt) + 500));
        expect(held && new Set(held.routes.map((r) => r.dst))).toEqual(new Set(want.routes.map((r) => r.dst)));
      }
      const timeline = await snapshotTimeline(db, "streamed");
      expect(timeline).toHaveLength(CHANGES_PER_SNAPSHOT + 2);
      expect(timeline.map((t) => t.id[0]).join("")).toBe(`s${"c".repeat(CHANGES_PER_SNAPSHOT)}s`);
      // A delta that does not start from the state stored last (a gap, another writer) is stored whole.
      const elsewhere = { ...now, collectedAt: "2026-02-01T10:30:00.000Z", warnings: ["from elsewhere"] };
      const later = { ...now, collectedAt: "2026-02-01T10:31:00.000Z", warnings: ["later"] };
      expect(await recordState(db, "streamed", state(later, elsewhere))).toEqual({ stored: "snapshot" });
      now = later;
      // The same state again only moves "last seen" of the newest row.
      expect(await recordState(db, "streamed", state({ ...now, collectedAt: "2026-02-01T11:00:00.000Z" }))).toEqual({ stored: "none" });
      expect((await snapshotTimeline(db, "streamed"))[0]?.lastSeenAt.toISOString()).toBe("2026-02-01T11:00:00.000Z");
    }, 60_000);

    it("keeps nodes and their last visit; a UI node's token only sealed, a configured node's not at all", async () => {
      const db = database.db;
      const seal = new TokenSeal(randomBytes(32));
      await upsertNode(db, { name: "node1", url: "unix:/run/n1.sock", token: "secret", source: "config" }, seal);
      await upsertNode(db, { name: "node1", url: "unix:/run/n1b.sock", token: "secret2", source: "config" }, seal);
      await upsertNode(db, { name: "edge", url: "http://10.0.0.9:9731", token: "edge-token", source: "ui" }, seal);
      await markSeen(db, [{ name: "node1", at: new Date(), error: undefined }]);
      expect(await storedNodes(db, seal)).toEqual([
        { name: "edge", url: "http://10.0.0.9:9731", token: "edge-token", source: "ui" },
        { name: "node1", url: "unix:/run/n1b.sock", token: undefined, source: "config" },
      ]);
      const raw = Object.fromEntries((await db.select({ name: nodes.name, token: nodes.token }).from(nodes)).map((r) => [r.name, r.token]));
      expect(raw).toEqual({ edge: expect.stringMatching(/^sealed:v1:/), node1: null });
      const logged: string[] = [];
      expect((await storedNodes(db, new TokenSeal(randomBytes(32)), (m) => logged.push(m))).find((n) => n.name === "edge")?.token).toBeUndefined();
      expect(logged).toEqual([expect.stringMatching(/^node edge: its stored agent token cannot be opened: it was sealed under another key .*; remove the node and add it again with its token$/)]);
      expect(await removeNode(db, "edge")).toBe(true);
      expect(await removeNode(db, "edge")).toBe(false);
    });

    it("seals a UI node's token an older version stored in plain text, and drops a configured node's", async () => {
      const db = database.db;
      const seal = new TokenSeal(randomBytes(32));
      await db.insert(nodes).values([
        { name: "old-ui", url: "http://10.0.0.10:9731", token: "plain-ui-token", source: "ui" },
        { name: "old-config", url: "unix:/run/old.sock", token: "plain-config-token", source: "config" },
      ]);
      expect(await sealPlainTokens(db, seal)).toBe(2);
      expect(await sealPlainTokens(db, seal)).toBe(0);
      const stored = Object.fromEntries((await storedNodes(db, seal)).map((n) => [n.name, n.token]));
      expect(stored).toMatchObject({ "old-ui": "plain-ui-token", "old-config": undefined });
      await removeNode(db, "old-ui");
      await removeNode(db, "old-config");
    });

    it("replaces a node's findings, keeping when each was first seen", async () => {
      const db = database.db;
      await replaceFindings(db, "node1", [finding("mtu", "a"), finding("overlap", "b")], new Date("2026-01-01T10:00:00Z"));
      await replaceFindings(db, "node1", [finding("mtu", "a")], new Date("2026-01-01T10:05:00Z"));
      const rows = await storedFindings(db, "node1");
      expect(rows.map((r) => [r.code, r.firstSeenAt.toISOString(), r.lastSeenAt.toISOString()])).toEqual([["mtu", "2026-01-01T10:00:00.000Z", "2026-01-01T10:05:00.000Z"]]);
    });

    it("stores events and the audit log", async () => {
      const db = database.db;
      const event: AgentEvent = { seq: 7, at: "2026-01-01T10:00:30Z", node: "node1", kind: "route", action: "removed", netns: 4026531840, subject: "10.244.1.0/24 via 10.244.1.0", detail: undefined };
      await recordEvents(db, "node1", [event]);
      expect((await storedEvents(db, "node1", { from: new Date("2026-01-01T10:00:00Z"), to: new Date("2026-01-01T10:01:00Z") })).map((e) => [e.seq, e.netns, e.subject])).toEqual([[7, 4026531840, "10.244.1.0/24 via 10.244.1.0"]]);
      await audit(db, { actor: "admin", action: "add-node", target: "edge", detail: { url: "http://10.0.0.9:9731" } });
      expect((await auditEntries(db)).map((e) => [e.action, e.target, e.detail])).toEqual([["add-node", "edge", { url: "http://10.0.0.9:9731" }]]);
    });

    it("sets the admin password once, and keeps sessions until they end or expire", async () => {
      const db = database.db;
      expect(await adminPasswordIsSet(db, undefined)).toBe(false);
      expect(await setFirstAdminPassword(db, "first-password")).toBe(true);
      expect(await setFirstAdminPassword(db, "second-password")).toBe(false);
      expect(await checkAdminPassword(db, undefined, "first-password")).toBe(true);
      expect(await checkAdminPassword(db, undefined, "second-password")).toBe(false);
      const session = await createSession(db, { user: "admin", role: "admin" });
      expect(await sessionAccount(db, session.token)).toEqual({ user: "admin", role: "admin" });
      expect(await sessionAccount(db, session.token, new Date(Date.now() + 8 * 86_400_000))).toBeUndefined();
      await endSession(db, session.token);
      expect(await sessionAccount(db, session.token)).toBeUndefined();
    });

    it("keeps users with scrypt hashes and API tokens as SHA-256 only; removing a user ends their sessions and revokes their tokens", async () => {
      const db = database.db;
      expect(await addUser(db, { name: "alice", password: "alice-password", role: "admin" })).toMatchObject({ name: "alice", role: "admin" });
      expect(await addUser(db, { name: "alice", password: "other-password", role: "viewer" })).toBeUndefined();
      const [stored] = await db.select().from(users).where(eq(users.name, "alice"));
      expect(stored?.passwordHash).toMatch(/^scrypt\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
      expect(await checkUserPassword(db, "alice", "alice-password")).toBe("admin");
      expect(await checkUserPassword(db, "alice", "wrong-password")).toBeUndefined();
      expect(await checkUserPassword(db, "nobody", "alice-password")).toBeUndefined();
      const session = await createSession(db, { user: "alice", role: "admin" });
      const { token } = await createApiToken(db, "alice", { name: "ci", role: "admin", expiresAt: null });
      expect(token).toMatch(/^na_[A-Za-z0-9_-]{43}$/);
      expect(JSON.stringify(await db.select().from(apiTokens))).not.toContain(token.slice(3));
      expect(await apiTokenAccount(db, token)).toMatchObject({ user: "alice", role: "admin", token: { name: "ci" } });
      // A demotion reaches the session and the token at once.
      expect(await setUserRole(db, "alice", "viewer")).toBe(true);
      expect(await sessionAccount(db, session.token)).toEqual({ user: "alice", role: "viewer" });
      expect((await apiTokenAccount(db, token))?.role).toBe("viewer");
      expect(await removeUser(db, "alice")).toBe(true);
      expect(await removeUser(db, "alice")).toBe(false);
      expect(await sessionAccount(db, session.token)).toBeUndefined();
      expect(await apiTokenAccount(db, token)).toBeUndefined();
      expect((await listApiTokens(db, "alice")).map((t) => t.state)).toEqual(["revoked"]);
      // The same name added again gets none of the old access back.
      await addUser(db, { name: "alice", password: "alice-password-2", role: "admin" });
      expect(await apiTokenAccount(db, token)).toBeUndefined();
    });

    it("drops history older than the retention but keeps each node's current snapshot", async () => {
      const db = database.db;
      const pruned = await pruneHistory(db, { historyDays: 1, auditDays: 90 }, new Date("2026-01-03T00:00:00Z"));
      expect(pruned).toMatchObject({ snapshots: 1, events: 1 });
      expect((await snapshotTimeline(db, "node1")).map((t) => t.collectedAt.toISOString())).toEqual(["2026-01-01T10:01:00.000Z"]);
      // A whole snapshot with recent changes after it stays; once they are old too, it goes with them.
      expect((await snapshotTimeline(db, "streamed")).length).toBe(CHANGES_PER_SNAPSHOT + 3);
      expect(await pruneHistory(db, { historyDays: 1, auditDays: 90 }, new Date("2026-03-03T00:00:00Z"))).toMatchObject({ snapshots: 2 });
      expect((await snapshotTimeline(db, "streamed")).map((t) => t.id[0])).toEqual(["s"]);
    });
  });
}

const pgliteDir = mkdtempSync(join(tmpdir(), "netatlas-pglite-"));
afterAll(() => rmSync(pgliteDir, { recursive: true, force: true }));
persistenceSuite("PGlite", () => openDatabase({ dataDir: pgliteDir, migrationsDir }));

const unavailable = postgresUnavailable();
if (unavailable) console.warn(`persistence on PostgreSQL skipped: ${unavailable}`);
describe.skipIf(!!unavailable)("real PostgreSQL", () => {
  let cluster: PostgresCluster | undefined;
  afterAll(async () => {
    await cluster?.stop();
  }, 30_000);
  persistenceSuite("PostgreSQL 15", async () => {
    cluster = await startPostgres();
    return openDatabase({ databaseUrl: cluster.url, dataDir: "unused", migrationsDir });
  });
});
