import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleApiRequest } from "../src/server/api/api-handler";
import { auditExport } from "../src/server/api/audit-export";
import { liveEvents } from "../src/server/api/live-events";
import { appRouter } from "../src/server/api/root";
import { createSession } from "../src/server/auth/sessions";
import { loadConfig } from "../src/server/config";
import { apiTokens } from "../src/server/db/schema";
import { PEER_HEADER, tagPeerAddresses } from "../src/server/http/client-address";
import { auditEntries } from "../src/server/store/audit-store";
import { startRuntime, type Runtime } from "../src/server/runtime";
import { bootstrapCaller, callContext } from "./callers";
import { fieldErrors } from "./field-errors";

const HOST = "127.0.0.1:3000";
const ADMIN = "admin-password-users-test";
const VIEWER = "viewer-password-users-test";

/** Named users, personal API tokens and the one place that resolves a caller, on a real runtime (PGlite). */
describe("users and API tokens", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "netatlas-dash-users-"));
  let rt: Runtime;
  const admin = () => appRouter.createCaller(callContext(rt, bootstrapCaller("admin")));
  const anonymous = (resHeaders = new Headers()) => appRouter.createCaller(callContext(rt, undefined, resHeaders));

  /** A request as it reaches the route handler from `peer`; a script's: a bearer token, JSON, no Origin. */
  const request = (path: string, init: { method?: string; body?: unknown; token?: string; cookie?: string; origin?: boolean; peer?: string; contentType?: string } = {}) =>
    new Request(`http://${HOST}${path}`, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      headers: {
        host: HOST,
        [PEER_HEADER]: init.peer ?? "127.0.0.1",
        ...(init.body === undefined ? {} : { "content-type": init.contentType ?? "application/json" }),
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.cookie ? { cookie: `netatlas_session=${init.cookie}` } : {}),
        ...(init.origin ? { origin: `http://${HOST}` } : {}),
      },
    });
  const api = (procedure: string, init: Parameters<typeof request>[1] = {}) => handleApiRequest(request(`/api/trpc/${procedure}`, init), async () => rt);
  const data = async <T>(response: Response): Promise<T> => {
    const body = (await response.json()) as { result?: { data: T }; error?: { message: string } };
    if (!body.result) throw new Error(`${response.status}: ${body.error?.message}`);
    return body.result.data;
  };
  const refusal = async (response: Response) => ({ status: response.status, message: ((await response.json()) as { error: { message: string } }).error.message });
  /** A token made by `user` (signed in with a session) through the API, as the Users page sends it. */
  const tokenOf = async (user: string, role: "admin" | "viewer", input: { name: string; role?: "admin" | "viewer"; expiresInDays?: number }) => {
    const { token } = await createSession(rt.database.db, { user, role });
    return data<{ token: string; id: number; expiresAt: string | null }>(await api("tokens.create", { body: input, cookie: token, origin: true }));
  };

  beforeAll(async () => {
    tagPeerAddresses();
    const config = loadConfig({ NETATLAS_DATA_DIR: dataDir, NETATLAS_ADMIN_PASSWORD: ADMIN, NETATLAS_VIEWER_PASSWORD: VIEWER, NETATLAS_AGENTS: JSON.stringify([{ name: "node1", url: `unix:${dataDir}/gone.sock` }]) });
    rt = await startRuntime(config, { migrationsDir: fileURLToPath(new URL("../drizzle", import.meta.url)) });
    await admin().users.add({ name: "alice", password: "alice-password", role: "admin" });
    await admin().users.add({ name: "bob", password: "bob-password", role: "viewer" });
  }, 30_000);

  afterAll(async () => {
    await rt?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("signs a user in by name and password, and names them in the audit log", async () => {
    const headers = new Headers();
    expect(await anonymous(headers).auth.signIn({ name: "alice", password: "alice-password" })).toEqual({ ok: true, user: "alice", role: "admin" });
    expect(headers.get("set-cookie")).toMatch(/^netatlas_session=/);
    await expect(anonymous().auth.signIn({ name: "alice", password: "bob-password" })).rejects.toMatchObject({ code: "UNAUTHORIZED", message: "wrong user name or password" });
    await expect(anonymous().auth.signIn({ name: "nobody", password: "alice-password" })).rejects.toMatchObject({ code: "UNAUTHORIZED", message: "wrong user name or password" });
    const cookie = /^netatlas_session=([^;]+)/.exec(headers.get("set-cookie") ?? "")?.[1];
    expect(await data(await api("auth.whoami", { cookie }))).toEqual({ user: "alice", role: "admin", via: "session" });
    const added = await api("nodes.add", { body: { name: "edge", url: "http://127.0.0.1:9" }, cookie, contentType: "application/json" });
    expect(added.status).toBe(403); // a session's change must still come from the dashboard's pages
    expect((await auditEntries(rt.database.db, { action: "sign-in", actor: "alice" })).length).toBe(1);
  });

  it("keeps the bootstrap passwords: without a name they choose the account, with one they must be that account's", async () => {
    expect(await anonymous().auth.signIn({ password: ADMIN })).toEqual({ ok: true, user: "admin", role: "admin" });
    expect(await anonymous().auth.signIn({ password: VIEWER })).toEqual({ ok: true, user: "viewer", role: "viewer" });
    expect(await anonymous().auth.signIn({ name: "viewer", password: VIEWER })).toEqual({ ok: true, user: "viewer", role: "viewer" });
    await expect(anonymous().auth.signIn({ name: "admin", password: VIEWER })).rejects.toThrow("wrong user name or password");
  });

  it("lets only an admin manage users, names the wrong field, and keeps the bootstrap names for the bootstrap accounts", async () => {
    const viewer = appRouter.createCaller(callContext(rt, bootstrapCaller("viewer")));
    await expect(viewer.users.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await fieldErrors(admin().users.add({ name: "admin", password: "long-enough", role: "admin" }))).toEqual({ name: "admin, viewer and unknown are reserved (admin and viewer are the accounts of the environment passwords)" });
    expect(await fieldErrors(admin().users.add({ name: "Carol!", password: "short", role: "viewer" }))).toEqual({
      name: "a user name has 1-32 lower-case letters, digits, '.', '_' or '-', starting with a letter",
      password: "the password needs at least 8 characters",
    });
    await expect(admin().users.add({ name: "alice", password: "long-enough", role: "viewer" })).rejects.toMatchObject({ code: "CONFLICT", message: 'name: a user named "alice" already exists' });
    await expect(admin().users.setRole({ name: "nobody", role: "admin" })).rejects.toMatchObject({ code: "NOT_FOUND", message: 'name: no user is named "nobody"' });
    expect((await admin().users.list()).map((u) => [u.name, u.role])).toEqual([["alice", "admin"], ["bob", "viewer"]]);
  });

  it("shows a token once, stores only its SHA-256, and lets a script act with it (no Origin needed, JSON still is)", async () => {
    const made = await tokenOf("alice", "admin", { name: "ci-bot" });
    expect(made.token).toMatch(/^na_[A-Za-z0-9_-]{43}$/);
    const listed = await data<unknown[]>(await api("tokens.list", { token: made.token }));
    expect(JSON.stringify(listed)).not.toContain(made.token);
    expect(listed).toContainEqual(expect.objectContaining({ id: made.id, name: "ci-bot", user: "alice", role: "admin", state: "active", expiresAt: null }));
    const [row] = await rt.database.db.select().from(apiTokens).where(eq(apiTokens.id, made.id));
    expect(JSON.stringify(row)).not.toContain(made.token.slice(3));
    expect(await data(await api("auth.whoami", { token: made.token }))).toEqual({ user: "alice", role: "admin", via: "token" });
    expect((await api("nodes.add", { body: { name: "edge", url: "http://127.0.0.1:9" }, token: made.token })).status).toBe(200);
    expect((await auditEntries(rt.database.db, { node: "edge" })).map((e) => `${e.actor}: ${e.action}`)).toEqual(["alice (token ci-bot): add-node"]);
    expect((await api("nodes.remove", { body: { name: "edge" }, token: made.token, contentType: "text/plain" })).status).toBe(415);
    const [used] = await rt.database.db.select().from(apiTokens).where(eq(apiTokens.id, made.id));
    expect(used?.lastUsedAt).toBeInstanceOf(Date);
  });

  it("refuses an unknown, expired or revoked token with 401, whatever it asks", async () => {
    const UNKNOWN = { status: 401, message: "the API token is unknown, expired or revoked" };
    expect(await refusal(await api("auth.whoami", { token: `na_${"A".repeat(43)}`, peer: "10.1.0.1" }))).toEqual(UNKNOWN);
    expect(await refusal(await api("auth.status", { token: "not-even-shaped-like-one", peer: "10.1.0.1" }))).toEqual(UNKNOWN);
    const expiring = await tokenOf("alice", "admin", { name: "expiring", expiresInDays: 1 });
    expect(new Date(expiring.expiresAt!).getTime()).toBeGreaterThan(Date.now() + 86_000_000);
    await rt.database.db.update(apiTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiTokens.id, expiring.id));
    expect(await refusal(await api("auth.whoami", { token: expiring.token, peer: "10.1.0.1" }))).toEqual(UNKNOWN);
    const revoked = await tokenOf("alice", "admin", { name: "revoked" });
    expect(await data<{ state: string }>(await api("tokens.revoke", { body: { id: revoked.id }, token: revoked.token }))).toMatchObject({ state: "revoked" });
    expect(await refusal(await api("auth.whoami", { token: revoked.token, peer: "10.1.0.1" }))).toEqual(UNKNOWN);
    expect(await refusal(await api("auth.whoami"))).toEqual({ status: 401, message: "sign in first" });
  });

  it("keeps a viewer's token from every change (FORBIDDEN), and a viewer from making an admin token", async () => {
    const viewerToken = await tokenOf("bob", "viewer", { name: "laptop" });
    const plan = await refusal(await api("reconcile.plan", { body: {}, token: viewerToken.token }));
    expect(plan).toEqual({ status: 403, message: 'this needs the admin role; the API token "laptop" of bob has the viewer role (read-only)' });
    expect((await refusal(await api("reconcile.startApply", { body: { planSetId: 1, confirm: true }, token: viewerToken.token }))).status).toBe(403);
    const { token: bobSession } = await createSession(rt.database.db, { user: "bob", role: "viewer" });
    expect(await refusal(await api("tokens.create", { body: { name: "sneaky", role: "admin" }, cookie: bobSession, origin: true }))).toEqual({ status: 403, message: "role: bob acts as viewer and cannot make an admin token; choose viewer" });
    // An admin's token may be made for the viewer role, and then acts as one.
    const readOnly = await tokenOf("alice", "admin", { name: "read-only", role: "viewer" });
    expect((await refusal(await api("nodes.remove", { body: { name: "edge" }, token: readOnly.token }))).status).toBe(403);
  });

  it("lists a person's own tokens (an admin's: everyone's) and lets only the owner or an admin revoke one", async () => {
    const bobs = await tokenOf("bob", "viewer", { name: "bobs-script" });
    await expect(tokenOf("bob", "viewer", { name: "bobs-script" })).rejects.toThrow('name: you already have a token named "bobs-script"');
    const alices = await tokenOf("alice", "admin", { name: "alices-script" });
    const bobList = await data<{ user: string }[]>(await api("tokens.list", { token: bobs.token }));
    expect(new Set(bobList.map((t) => t.user))).toEqual(new Set(["bob"]));
    expect(await refusal(await api("tokens.revoke", { body: { id: alices.id }, token: bobs.token }))).toEqual({ status: 404, message: `id: there is no API token ${alices.id} of yours` });
    expect(new Set((await data<{ user: string }[]>(await api("tokens.list", { token: alices.token }))).map((t) => t.user))).toEqual(new Set(["alice", "bob"]));
    expect((await api("tokens.revoke", { body: { id: bobs.id }, token: alices.token })).status).toBe(200);
    expect((await auditEntries(rt.database.db, { action: "revoke-token" }))[0]).toMatchObject({ actor: "alice (token alices-script)", detail: { token: bobs.id, user: "bob" } });
  });

  it("makes a token's tokens expire no later than it does", async () => {
    const parent = await tokenOf("alice", "admin", { name: "parent", expiresInDays: 2 });
    const child = await data<{ expiresAt: string | null }>(await api("tokens.create", { body: { name: "child" }, token: parent.token }));
    expect(child.expiresAt).toBe(parent.expiresAt);
  });

  it("brings a demotion or a removal to a user's tokens at once", async () => {
    await admin().users.add({ name: "carol", password: "carol-password", role: "admin" });
    const carols = await tokenOf("carol", "admin", { name: "deploy" });
    await admin().users.setRole({ name: "carol", role: "viewer" });
    expect(await data(await api("auth.whoami", { token: carols.token }))).toEqual({ user: "carol", role: "viewer", via: "token" });
    await admin().users.remove({ name: "carol" });
    expect((await api("auth.whoami", { token: carols.token, peer: "10.2.0.1" })).status).toBe(401);
    expect((await auditEntries(rt.database.db, { node: "carol" })).map((e) => `${e.actor}: ${e.action}`)).toEqual(["admin: remove-user", "admin: set-role", "admin: add-user"]);
  });

  it("counts wrong tokens like wrong passwords: after 5 a minute the address waits (429), even with a right token", async () => {
    const right = await tokenOf("alice", "admin", { name: "limited" });
    for (let i = 0; i < 5; i++) expect((await api("auth.whoami", { token: `na_${String(i).repeat(43)}`, peer: "10.3.0.1" })).status).toBe(401);
    const refused = await api("auth.whoami", { token: right.token, peer: "10.3.0.1" });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(50);
    expect((await refusal(refused)).message).toMatch(/^too many failed sign-ins and tokens from this address; try again in \d+ s$/);
    expect((await api("auth.whoami", { token: right.token, peer: "10.3.0.2" })).status).toBe(200);
  });

  it("lets a token read the audit export and a node's live events, and ends the stream when it is revoked", async () => {
    const reader = await tokenOf("bob", "viewer", { name: "reader" });
    expect((await auditExport(rt, request("/api/audit/export", { token: reader.token }))).status).toBe(200);
    expect((await auditExport(rt, request("/api/audit/export", { token: `na_${"B".repeat(43)}`, peer: "10.4.0.1" }))).status).toBe(401);
    const stream = await liveEvents(rt, request("/api/events/node1", { token: reader.token }), "node1", 50);
    expect(stream.status).toBe(200);
    await data(await api("tokens.revoke", { body: { id: reader.id }, token: reader.token }));
    const body = stream.body!.getReader();
    const drained = (async () => {
      while (!(await body.read()).done);
      return "ended";
    })();
    expect(await Promise.race([drained, new Promise((resolve) => setTimeout(() => resolve("open"), 1_000))])).toBe("ended");
  });
});
