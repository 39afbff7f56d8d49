import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { NodeSnapshot } from "@netatlas/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/server/config";
import { startRuntime, type Runtime } from "../src/server/runtime";
import { fakeAgent, READ_TOKEN, type FakeAgent } from "./fake-agent";
import { labFleet } from "./lab-fleet";
import { postgresUnavailable, startPostgres, type PostgresCluster } from "./postgres-cluster";

const migrationsDir = fileURLToPath(new URL("../drizzle", import.meta.url));
const NODES = ["node1", "node2", "node3", "node4"];
const TTL_MS = 1_500;
const unavailable = postgresUnavailable();

/** Two dashboard runtimes in this process on one real PostgreSQL, over four stand-in agents: the replicas' wiring without a build. */
describe.skipIf(!!unavailable)("two dashboard runtimes on one PostgreSQL", () => {
  let cluster: PostgresCluster | undefined;
  const agents: FakeAgent[] = [];
  const runtimes: Runtime[] = [];
  const dirs: string[] = [];
  const stopped = new Set<Runtime>();
  const [one, two] = [() => runtimes[0] as Runtime, () => runtimes[1] as Runtime];

  beforeAll(async () => {
    cluster = await startPostgres();
    const [base] = labFleet() as [NodeSnapshot];
    agents.push(...(await Promise.all(NODES.map((node) => fakeAgent({ ...base, node })))));
    const env = (dir: string) => ({
      NETATLAS_DATA_DIR: dir,
      DATABASE_URL: cluster!.url,
      NETATLAS_LEASE_TTL_MS: String(TTL_MS),
      NETATLAS_POLL_INTERVAL_MS: "1000",
      NETATLAS_ADMIN_PASSWORD: "replica-test-password",
      NETATLAS_SECRET_KEY: "replicas-share-this-secret-key-0123456789",
      NETATLAS_AGENTS: JSON.stringify(agents.map((a) => ({ name: a.name, url: a.url, token: READ_TOKEN }))),
    });
    for (let i = 0; i < 2; i++) {
      const dir = mkdtempSync(join(tmpdir(), "netatlas-dash-replica-"));
      dirs.push(dir);
      runtimes.push(await startRuntime(loadConfig(env(dir)), { migrationsDir }));
    }
  }, 60_000);

  afterAll(async () => {
    for (const rt of runtimes.filter((r) => !stopped.has(r))) await rt.stop();
    for (const a of agents) await a.close();
    await cluster?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  const ledBy = (rt: Runtime) => NODES.filter((n) => rt.leadership.leads(n));
  const upIn = (rt: Runtime) => rt.poller.nodes().filter((n) => n.snapshot && !n.lastError).map((n) => n.target.name).sort();

  it("leads each node from exactly one replica, and both show every node up", async () => {
    await expect.poll(() => [ledBy(one()).length, ledBy(two()).length], { timeout: 4 * TTL_MS }).toEqual([2, 2]);
    expect([...ledBy(one()), ...ledBy(two())].sort()).toEqual(NODES);
    await expect.poll(() => [upIn(one()), upIn(two())], { timeout: 10_000 }).toEqual([NODES, NODES]);
  });

  it("shows a change on a node led by one replica in the other within a second", async () => {
    const node = ledBy(one())[0] as string;
    const agent = agents.find((a) => a.name === node) as FakeAgent;
    agent.snapshot = { ...agent.snapshot, routes: agent.snapshot.routes.slice(1) };
    const changed = Date.now();
    const routesIn = (rt: Runtime) => rt.poller.node(node)?.snapshot?.routes.length;
    await expect.poll(() => routesIn(two()), { timeout: 5_000, interval: 20 }).toBe(agent.snapshot.routes.length);
    console.log(`a change on ${node} (led by the first replica) showed in the second after ${Date.now() - changed} ms (the fake agent streams it at its next 200 ms heartbeat)`);
    expect(routesIn(one())).toBe(agent.snapshot.routes.length);
  });

  it("passes a stopped replica's nodes to the other, which then follows every agent itself", async () => {
    await one().stop();
    stopped.add(one());
    await expect.poll(() => ledBy(two()), { timeout: 3 * TTL_MS }).toEqual(NODES);
    const seen = (rt: Runtime) => rt.poller.nodes().map((n) => n.lastSeenAt ?? 0);
    const before = seen(two());
    await expect.poll(() => seen(two()).every((t, i) => t > (before[i] ?? 0)), { timeout: 5_000 }).toBe(true);
    expect(upIn(two())).toEqual(NODES);
  });
});
