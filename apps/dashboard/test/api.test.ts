import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../src/server/api/root";
import { createSession } from "../src/server/auth/sessions";
import { loadConfig } from "../src/server/config";
import { startRuntime, type Runtime } from "../src/server/runtime";
import { bootstrapCaller, callContext } from "./callers";
import { fieldErrors } from "./field-errors";

const SECRET = "agent-read-token-that-must-stay-on-the-server";

/** The browser's API on a real runtime (PGlite), with agents that do not exist: nothing here waits for them. */
describe("dashboard API", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "netatlas-dash-api-"));
  let rt: Runtime;
  let adminToken: string;
  const caller = (sessionToken?: string) => appRouter.createCaller(callContext(rt, sessionToken ? bootstrapCaller("admin", sessionToken) : undefined));

  beforeAll(async () => {
    const config = loadConfig({
      NETATLAS_DATA_DIR: dataDir,
      NETATLAS_ADMIN_PASSWORD: "api-test-password",
      NETATLAS_AGENT_TIMEOUT_MS: "200",
      NETATLAS_DEMO_HINTS: "demo",
      NETATLAS_AGENTS: JSON.stringify([{ url: `unix:${dataDir}/gone/agent.sock`, token: SECRET }]),
    });
    rt = await startRuntime(config, { migrationsDir: fileURLToPath(new URL("../drizzle", import.meta.url)) });
    adminToken = (await createSession(rt.database.db, { user: "admin", role: "admin" })).token;
  }, 30_000);

  afterAll(async () => {
    await rt?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers nothing about the fleet without a session", async () => {
    await expect(caller().fleet.overview()).rejects.toThrow("sign in first");
    await expect(caller().nodes.add({ url: "http://10.0.0.1:7946" })).rejects.toThrow("sign in first");
  });

  it("signs in with the admin password and sets an HttpOnly, SameSite cookie", async () => {
    const headers = new Headers();
    await appRouter.createCaller(callContext(rt, undefined, headers)).auth.signIn({ password: "api-test-password" });
    expect(headers.get("set-cookie")).toMatch(/^netatlas_session=[\w-]+; Path=\/; HttpOnly; SameSite=Strict; Expires=/);
    await expect(caller().auth.signIn({ password: "wrong-password" })).rejects.toThrow("wrong password");
  });

  it("shows an agent that does not answer as down with why, at once", async () => {
    await expect.poll(() => rt.poller.node("gone")?.lastError).toBeDefined();
    const started = Date.now();
    const { rows } = await caller(adminToken).fleet.overview();
    expect(Date.now() - started).toBeLessThan(500);
    expect(rows).toMatchObject([{ name: "gone", status: "down" }]);
    expect(rows[0]?.lastError).toMatch(/^agent gone \(unix:.*\/gone\/agent.sock\): /);
  });

  it("never sends an agent's token to the browser", async () => {
    const api = caller(adminToken);
    const answers = await Promise.all([api.fleet.overview(), api.fleet.docker(), api.fleet.pods(), api.fleet.findings(), api.node.get({ name: "gone" })]);
    expect(JSON.stringify(answers)).not.toContain(SECRET);
  });

  it("names the field of a bad node, and stores nothing", async () => {
    const api = caller(adminToken);
    expect(await fieldErrors(api.nodes.add({ url: "ftp://10.0.0.1" }))).toEqual({ url: '"ftp://10.0.0.1": only http://, https:// and unix: agents are supported' });
    expect(await fieldErrors(api.nodes.add({ name: "bad/name", url: "http://10.0.0.1:7946" }))).toEqual({ name: expect.stringMatching(/^a node name has 1-63 letters/) });
    await expect(api.nodes.add({ name: "gone", url: "http://10.0.0.1:7946" })).rejects.toThrow(/name: a node named "gone" is already in the fleet/);
    expect(rt.poller.targets().map((t) => t.name)).toEqual(["gone"]);
  });

  it("adds and removes a node for the admin, in the audit log", async () => {
    const api = caller(adminToken);
    expect(await api.nodes.add({ name: "edge", url: "http://127.0.0.1:9" })).toEqual({ name: "edge" });
    expect(rt.poller.targets().map((t) => t.name).sort()).toEqual(["edge", "gone"]);
    await api.nodes.remove({ name: "edge" });
    expect(rt.poller.targets().map((t) => t.name)).toEqual(["gone"]);
    expect((await api.audit.list({ node: "edge" })).map((e) => `${e.actor} ${e.action} ${e.target}`)).toEqual(["admin remove-node edge", "admin add-node edge"]);
  });

  it("says which end of a history range is wrong", async () => {
    const api = caller(adminToken);
    await expect(api.history.diff({ node: "gone", from: "yesterday", to: "2026-01-01T00:00:00Z" })).rejects.toThrow(/from: not a date and time/);
    await expect(api.history.diff({ node: "gone", from: "2026-01-02T00:00:00Z", to: "2026-01-01T00:00:00Z" })).rejects.toThrow("from: must be before to");
    await expect(api.history.diff({ node: "gone", from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z" })).rejects.toThrow(/from: no snapshot of gone stored/);
  });

  it("tells the demo lab's Fleet page which faults to try and where each shows", async () => {
    const demo = await caller(adminToken).fleet.demo();
    expect(demo?.prefix).toBe("demo");
    expect(demo?.faults.find((f) => f.kind === "wrong-mtu")).toEqual({ kind: "wrong-mtu", what: expect.any(String), command: "node tools/lab/bin/netatlas-lab.js fault wrong-mtu --prefix demo", where: [{ page: "Findings", href: "/findings" }, { page: "Trace", href: "/trace" }] });
    expect(() => loadConfig({ NETATLAS_DEMO_HINTS: "demo; rm -rf /" })).toThrow(/NETATLAS_DEMO_HINTS: NETATLAS_DEMO_HINTS is the demo lab's prefix/);
  });

  it("names the Trace form's field that is wrong", async () => {
    const api = caller(adminToken);
    expect(await fieldErrors(api.trace.run({ source: " ", destination: "10.0.0.1", protocol: "tcp" }))).toEqual({ source: "enter a pod, container, namespace or IP to start from", port: "a tcp or udp trace needs a port" });
    expect(await fieldErrors(api.trace.run({ source: "a", destination: "b", protocol: "tcp", port: 0 }))).toEqual({ port: "port must be at least 1" });
    expect(await fieldErrors(api.trace.run({ source: "a", destination: "b", protocol: "udp" }))).toEqual({ port: "a tcp or udp trace needs a port" });
    expect(await fieldErrors(api.trace.run({ source: "a", destination: "b", packetSize: 20 }))).toEqual({ packetSize: "packetSize must be at least 28 (the IP and ICMP headers)" });
    await expect(api.trace.run({ source: "no-such-pod", destination: "10.0.0.1" })).rejects.toThrow('source: no pod, container, namespace or IP is "no-such-pod"');
    await expect(caller().trace.verify({ source: "10.0.0.2", destination: "10.0.0.1" })).rejects.toThrow("sign in first");
  });
});

describe("first start without NETATLAS_ADMIN_PASSWORD", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "netatlas-dash-setup-"));
  let rt: Runtime;
  const caller = (resHeaders = new Headers()) => appRouter.createCaller(callContext(rt, undefined, resHeaders));

  beforeAll(async () => {
    rt = await startRuntime(loadConfig({ NETATLAS_DATA_DIR: dataDir }), { migrationsDir: fileURLToPath(new URL("../drizzle", import.meta.url)) });
  }, 30_000);

  afterAll(async () => {
    await rt?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("lets the first visitor set the admin password, once, and signs them in", async () => {
    expect(await caller().auth.status()).toEqual({ signedIn: false, user: null, role: null, needsSetup: true });
    expect(await fieldErrors(caller().auth.setup({ password: "short" }))).toEqual({ password: "the password needs at least 8 characters" });
    const headers = new Headers();
    await caller(headers).auth.setup({ password: "chosen-at-first-start" });
    expect(headers.get("set-cookie")).toMatch(/^netatlas_session=/);
    expect((await caller().auth.status()).needsSetup).toBe(false);
    await expect(caller().auth.setup({ password: "someone-else-later" })).rejects.toThrow("the admin password is already set; sign in with it");
    await expect(caller().auth.signIn({ password: "chosen-at-first-start" })).resolves.toEqual({ ok: true, user: "admin", role: "admin" });
    // Not the demo lab: no hints.
    expect(await appRouter.createCaller(callContext(rt, bootstrapCaller("admin"))).fleet.demo()).toBeNull();
  });
});
