import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { uniquePrefix } from "@netatlas/linux/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresUnavailable, startPostgres, type PostgresCluster } from "../test/postgres-cluster";
import { buildIfStale, startDashboard, type DashboardServer } from "./dashboard-server";
import { labDown, labUp, type Lab } from "./lab-cli";

const ADMIN = "e2e-replicas-admin-password";
const TTL_MS = 3_000;
const STEP_MS = 120_000;

type Answer<T> = { status: number; data?: T; error?: { message: string; data: { code: string } } };
type Health = { status: string; replica: { id: string; leads: number } };
type Overview = { rows: { name: string; status: string; lastSeenAt?: number; lastError?: string }[] };

/** tRPC over plain HTTP, as any client of the dashboard: a GET for a query, a POST from the dashboard's own origin for a mutation. */
async function call<T>(server: DashboardServer, path: string, options: { cookie?: string; input?: unknown; mutation?: boolean } = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...(options.cookie ? { cookie: options.cookie } : {}) };
  const response = options.mutation
    ? await fetch(`${server.url}/api/trpc/${path}`, { method: "POST", headers: { ...headers, "content-type": "application/json", origin: server.url }, body: JSON.stringify(options.input ?? {}) })
    : await fetch(`${server.url}/api/trpc/${path}${options.input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(options.input))}`}`, { headers });
  const body = (await response.json()) as { result?: { data: T }; error?: Answer<T>["error"] };
  return { status: response.status, data: body.result?.data, error: body.error };
}

const health = async (server: DashboardServer) => (await (await fetch(`${server.url}/api/health`)).json()) as Health;

const unavailable = postgresUnavailable();

/**
 * Two production dashboards (`next start`) on one real PostgreSQL over a lab of three real
 * agents: the agents are shared out by leases, both replicas answer for every node, one
 * apply job runs at a time across them, and when one replica is killed the other follows
 * every agent. Needs root (the lab, and PostgreSQL run as its own user); all removed afterwards.
 */
describe.skipIf(!!unavailable)("two dashboard replicas on one PostgreSQL", () => {
  let cluster: PostgresCluster | undefined;
  let lab: Lab | undefined;
  const servers: DashboardServer[] = [];
  const dataDirs: string[] = [];
  let cookie = "";
  const [first, second] = [() => servers[0] as DashboardServer, () => servers[1] as DashboardServer];
  const nodes = () => (lab?.agents.map((a) => a.name) ?? []).sort();

  /** Unexpired leases, node -> replica, read straight from the database. */
  const leases = async (): Promise<Record<string, string>> => {
    const client = new pg.Client({ connectionString: cluster!.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ node: string; replica: string }>("select node, replica from agent_leases where expires_at > now() order by node");
      return Object.fromEntries(rows.map((r) => [r.node, r.replica]));
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    cluster = await startPostgres();
    const [built, up] = await Promise.allSettled([buildIfStale(), labUp(uniquePrefix("rpl"), { nodes: 3, pods: 1, dockerNodes: 0, backend: "none" })]);
    if (up.status === "fulfilled") lab = up.value;
    if (up.status === "rejected") throw up.reason;
    if (built.status === "rejected") throw built.reason;
    const env = (dataDir: string) => ({
      DATABASE_URL: cluster!.url,
      NETATLAS_DATA_DIR: dataDir,
      // Replicas share the key that seals agent tokens in the database, and the admin password.
      NETATLAS_SECRET_KEY: "e2e-replicas-share-this-secret-key-0123456789",
      NETATLAS_ADMIN_PASSWORD: ADMIN,
      NETATLAS_LEASE_TTL_MS: String(TTL_MS),
      NETATLAS_POLL_INTERVAL_MS: "1000",
      NETATLAS_AGENTS: JSON.stringify(lab!.agents.map((a) => ({ name: a.name, url: a.url, token: lab!.tokens.read, adminToken: lab!.tokens.admin }))),
    });
    for (let i = 0; i < 2; i++) {
      dataDirs.push(mkdtempSync(join(tmpdir(), "netatlas-dash-replica-")));
      servers.push(await startDashboard(env(dataDirs[i] as string)));
    }
    const signIn = await fetch(`${first().url}/api/trpc/auth.signIn`, { method: "POST", headers: { "content-type": "application/json", origin: first().url }, body: JSON.stringify({ password: ADMIN }) });
    cookie = signIn.headers.getSetCookie().find((c) => c.startsWith("netatlas_session="))?.split(";")[0] ?? "";
    if (!cookie) throw new Error(`signing in to the first replica failed: ${signIn.status} ${await signIn.text()}`);
  }, 900_000);

  afterAll(async () => {
    for (const server of servers) await server.stop();
    await labDown(lab);
    await cluster?.stop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  }, 180_000);

  it("leads each node from exactly one replica, and both replicas show every node up (a session made on one holds on the other)", async () => {
    await expect.poll(async () => (await Promise.all(servers.map(health))).map((h) => h.replica.leads).sort(), { timeout: 6 * TTL_MS, interval: 250 }).toEqual([1, 2]);
    const ids = (await Promise.all(servers.map(health))).map((h) => h.replica.id);
    expect(new Set(ids).size).toBe(2);
    const held = await leases();
    expect(Object.keys(held)).toEqual(nodes());
    for (const [i, id] of ids.entries()) expect(Object.values(held).filter((r) => r === id).length).toBe((await health(servers[i] as DashboardServer)).replica.leads);
    for (const server of servers) {
      await expect.poll(async () => (await call<Overview>(server, "fleet.overview", { cookie })).data?.rows.map((r) => [r.name, r.status]), { timeout: 20_000, interval: 250 }).toEqual(nodes().map((n) => [n, "up"]));
    }
  }, STEP_MS);

  it("starts one apply job of two asked for at the same moment on the two replicas, and refuses the other with CONFLICT", async () => {
    const spec = { podCidr: "10.244.0.0/16", backend: { type: "host-gw" }, nodes: nodes().map((name, i) => ({ name, underlayIp: `192.168.50.${11 + i}` })) };
    const saved = await call<{ version: number }>(first(), "spec.save", { cookie, mutation: true, input: { spec, baseVersion: null } });
    expect(saved.error).toBeUndefined();
    const planned = await call<{ id: number; nodes: { node: string; status: string }[] }>(second(), "reconcile.plan", { cookie, mutation: true });
    expect(planned.data?.nodes.map((n) => [n.node, n.status])).toEqual(nodes().map((n) => [n, "planned"]));
    const ask = (server: DashboardServer) => call<{ id: number }>(server, "reconcile.startApply", { cookie, mutation: true, input: { planSetId: planned.data!.id, confirm: true } });
    const answers = await Promise.all([ask(first()), ask(second())]);
    const started = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status !== 200);
    expect(started).toHaveLength(1);
    const jobId = started[0]!.data!.id;
    expect(refused.map((a) => [a.status, a.error?.data.code, a.error?.message])).toEqual([[409, "CONFLICT", `form: apply job ${jobId} is still running; wait for it to finish`]]);
    // Either replica answers for the job, whichever runs it.
    await expect.poll(async () => (await call<{ status: string }>(answers[0] === started[0] ? second() : first(), "reconcile.job", { cookie, input: { id: jobId } })).data?.status, { timeout: 90_000, interval: 500 }).toBe("succeeded");
  }, STEP_MS);

  it("keeps following every node through the survivor when one replica is killed", async () => {
    const [victim, survivor] = [first(), second()];
    const victimId = (await health(victim)).replica.id;
    const survivorId = (await health(survivor)).replica.id;
    const killed = Date.now();
    process.kill(victim.pid, "SIGKILL");
    await expect.poll(() => fetch(`${victim.url}/api/health`).then(() => "answers", () => "gone"), { timeout: 10_000 }).toBe("gone");
    await expect.poll(async () => (await health(survivor)).replica.leads, { timeout: 5 * TTL_MS, interval: 100 }).toBe(nodes().length);
    console.log(`the survivor led all ${nodes().length} nodes ${Date.now() - killed} ms after the other replica (${victimId}) was killed (lease ttl ${TTL_MS} ms)`);
    expect(Object.values(await leases())).toEqual(nodes().map(() => survivorId));
    const seen = async () => Object.fromEntries(((await call<Overview>(survivor, "fleet.overview", { cookie })).data?.rows ?? []).map((r) => [r.name, r]));
    const before = await seen();
    await sleep(3_000);
    const after = await seen();
    expect(nodes().map((n) => [n, after[n]?.status, (after[n]?.lastSeenAt ?? 0) > (before[n]?.lastSeenAt ?? Infinity)])).toEqual(nodes().map((n) => [n, "up", true]));
  }, STEP_MS);
});
