import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleApiRequest } from "../src/server/api/api-handler";
import { MAX_BATCH_SIZE } from "../src/server/api/batch-limit";
import { createSession } from "../src/server/auth/sessions";
import { loadConfig } from "../src/server/config";
import { PEER_HEADER, tagPeerAddresses } from "../src/server/http/client-address";
import { auditEntries } from "../src/server/store/audit-store";
import { startRuntime, type Runtime } from "../src/server/runtime";

const HOST = "dash.example:3000";
const PROXY = "10.9.0.1";

/** The dashboard's API over HTTP, as a browser or another site's page reaches it: what is refused before any procedure runs. */
describe("dashboard API over HTTP", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "netatlas-dash-http-"));
  let rt: Runtime;
  let adminCookie: string;

  beforeAll(async () => {
    tagPeerAddresses();
    const config = loadConfig({ NETATLAS_DATA_DIR: dataDir, NETATLAS_ADMIN_PASSWORD: "http-test-password", NETATLAS_TRUSTED_PROXIES: `${PROXY}, fd00::/8` });
    rt = await startRuntime(config, { migrationsDir: fileURLToPath(new URL("../drizzle", import.meta.url)) });
    adminCookie = `netatlas_session=${(await createSession(rt.database.db, { user: "admin", role: "admin" })).token}`;
  }, 30_000);

  afterAll(async () => {
    await rt?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A request as it reaches a route handler: the server has tagged its TCP peer (over whatever the client wrote). */
  const call = (path: string, init: { method?: string; body?: BodyInit; headers?: Record<string, string>; peer?: string } = {}) =>
    handleApiRequest(
      new Request(`http://${HOST}/api/trpc/${path}`, { method: init.method ?? "POST", body: init.body, headers: { host: HOST, [PEER_HEADER]: init.peer ?? "127.0.0.1", ...init.headers } }),
      async () => rt,
    );
  const json = (body: unknown, headers: Record<string, string> = {}) => ({ body: JSON.stringify(body), headers: { "content-type": "application/json", origin: `http://${HOST}`, ...headers } });
  const message = async (response: Response) => ((await response.json()) as { error: { message: string } }).error.message;
  const signIn = (password: string, peer: string, headers: Record<string, string> = {}) => call("auth.signIn", { ...json({ password }, headers), peer });

  it("refuses a multipart change before it runs (a form on another site can post one without a preflight)", async () => {
    const form = new FormData();
    form.set("x", "1");
    const response = await call("reconcile.plan", { body: form, headers: { cookie: adminCookie, origin: `http://${HOST}` } });
    expect(response.status).toBe(415);
    expect(await message(response)).toBe('a change must be sent as application/json, not "multipart/form-data"');
    expect((await auditEntries(rt.database.db, { action: "plan" })).length).toBe(0);
  });

  it("refuses a change from another origin, and one without Origin or Sec-Fetch-Site", async () => {
    const foreign = await call("reconcile.plan", json(undefined, { cookie: adminCookie, origin: "https://evil.example" }));
    expect(foreign.status).toBe(403);
    expect(await message(foreign)).toBe(`a change must come from this dashboard's own pages: Origin "https://evil.example" is not ${HOST}`);
    const bare = await call("reconcile.plan", { body: "{}", headers: { cookie: adminCookie, "content-type": "application/json" } });
    expect(bare.status).toBe(403);
    expect(await message(bare)).toMatch(/has no Origin header/);
  });

  it("lets its own pages change things: same Origin, or Sec-Fetch-Site same-origin", async () => {
    const own = await call("reconcile.plan", json(undefined, { cookie: adminCookie }));
    expect(own.status).toBe(412);
    expect(await message(own)).toMatch(/there is no fleet spec yet/);
    const fetchMetadata = await call("reconcile.plan", { body: "", headers: { cookie: adminCookie, "content-type": "application/json; charset=utf-8", "sec-fetch-site": "same-origin" } });
    expect(fetchMetadata.status).toBe(412);
  });

  it("believes a trusted proxy's X-Forwarded-Host for the origin check, nobody else's", async () => {
    const behindProxy = await call("reconcile.plan", { ...json(undefined, { cookie: adminCookie, origin: "https://netatlas.example", "x-forwarded-host": "netatlas.example" }), peer: PROXY });
    expect(behindProxy.status).toBe(412);
    const direct = await call("reconcile.plan", json(undefined, { cookie: adminCookie, origin: "https://netatlas.example", "x-forwarded-host": "netatlas.example" }));
    expect(direct.status).toBe(403);
  });

  it(`answers a batch of more than ${MAX_BATCH_SIZE} calls with 400, without running one`, async () => {
    const paths = (n: number) => Array.from({ length: n }, () => "fleet.topology").join(",");
    const input = (n: number) => encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [i, {}]))));
    const tooMany = await call(`${paths(MAX_BATCH_SIZE + 1)}?batch=1&input=${input(MAX_BATCH_SIZE + 1)}`, { method: "GET", headers: { cookie: adminCookie } });
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(await tooMany.json())).toContain("Batch call exceeds maximum size");
    const allowed = await call(`${paths(MAX_BATCH_SIZE)}?batch=1&input=${input(MAX_BATCH_SIZE)}`, { method: "GET", headers: { cookie: adminCookie } });
    expect(allowed.status).toBe(200);
  });

  it("refuses a row number its column cannot hold as bad input naming the field (it was a failed query, with its SQL, as a 500)", async () => {
    const tooLarge = await call(`spec.version?input=${encodeURIComponent(JSON.stringify({ version: 2 ** 31 }))}`, { method: "GET", headers: { cookie: adminCookie } });
    expect(tooLarge.status).toBe(400);
    expect(await message(tooLarge)).toBe("version: version is at most 2147483647");
    const yearZero = await call(`audit.list?input=${encodeURIComponent(JSON.stringify({ from: "0000-02-29T20:00:00Z" }))}`, { method: "GET", headers: { cookie: adminCookie } });
    expect(yearZero.status).toBe(400);
    expect(await message(yearZero)).toBe("from: from must lie between 1970 and 9999");
  });

  it("answers an error with its message and code, never a stack trace", async () => {
    const refused = await call("fleet.topology", { method: "GET" });
    expect(refused.status).toBe(401);
    const body = (await refused.json()) as { error: { message: string; data: Record<string, unknown> } };
    expect(body.error.message).toBe("sign in first");
    expect(body.error.data.code).toBe("UNAUTHORIZED");
    expect(body.error.data).not.toHaveProperty("stack");
  });

  it("makes an address wait after 5 wrong passwords a minute (429, Retry-After), even for the right one, and not the others", async () => {
    for (let i = 0; i < 5; i++) expect((await signIn("wrong-password", "10.0.0.7")).status).toBe(401);
    const refused = await signIn("http-test-password", "10.0.0.7");
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(55);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await message(refused)).toBe(`too many sign-in attempts; try again in ${retryAfter} s`);
    expect((await signIn("http-test-password", "10.0.0.8")).status).toBe(200);
  });

  it("takes the client's address from X-Forwarded-For only behind a trusted proxy, and keeps at most 64 characters of it", async () => {
    const long = `${"a".repeat(12_000)}, 10.0.0.20`;
    // A client that names another address is still itself: its own failures count against it.
    expect((await signIn("wrong-password", "10.0.0.21", { "x-forwarded-for": long })).status).toBe(401);
    expect((await signIn("wrong-password", PROXY, { "x-forwarded-for": long })).status).toBe(401);
    expect((await signIn("wrong-password", PROXY, { "x-forwarded-for": `${"b".repeat(200)}, ${PROXY}` })).status).toBe(401);
    const failures = (await auditEntries(rt.database.db, { action: "sign-in-failed" })).slice(0, 3).map((e) => (e.detail as { from: string }).from);
    expect(failures).toEqual(["b".repeat(64), "10.0.0.20", "10.0.0.21"]);
  });
});
