import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleApiRequest } from "../src/server/api/api-handler";
import { liveEvents } from "../src/server/api/live-events";
import { createSession } from "../src/server/auth/sessions";
import { loadConfig } from "../src/server/config";
import { sessions } from "../src/server/db/schema";
import { startRuntime, type Runtime } from "../src/server/runtime";

/** Reads the stream until it ends; "open" when it is still open after `ms`. */
async function endOf(stream: ReadableStream<Uint8Array> | null, ms: number): Promise<"ended" | "open"> {
  const reader = (stream as ReadableStream<Uint8Array>).getReader();
  const deadline = new Promise<"open">((resolve) => setTimeout(() => resolve("open"), ms));
  const drained = (async () => {
    while (!(await reader.read()).done);
    return "ended" as const;
  })();
  const outcome = await Promise.race([drained, deadline]);
  if (outcome === "open") await reader.cancel();
  return outcome;
}

/** A node page's live event stream lasts as long as the session that opened it. */
describe("live event streams and sessions", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "netatlas-dash-live-"));
  let rt: Runtime;
  const RECHECK_MS = 100;

  beforeAll(async () => {
    const config = loadConfig({ NETATLAS_DATA_DIR: dataDir, NETATLAS_ADMIN_PASSWORD: "live-test-password", NETATLAS_AGENTS: JSON.stringify([{ name: "node1", url: `unix:${dataDir}/gone.sock` }]) });
    rt = await startRuntime(config, { migrationsDir: fileURLToPath(new URL("../drizzle", import.meta.url)) });
  }, 30_000);

  afterAll(async () => {
    await rt?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const open = async (token: string) => {
    const response = await liveEvents(rt, new Request("http://127.0.0.1:3000/api/events/node1", { headers: { cookie: `netatlas_session=${token}` } }), "node1", RECHECK_MS);
    expect(response.status).toBe(200);
    return response.body;
  };

  it("stays open while its session holds", async () => {
    const { token } = await createSession(rt.database.db, { user: "viewer", role: "viewer" });
    expect(await endOf(await open(token), 3 * RECHECK_MS)).toBe("open");
  });

  it("ends at once when its session signs out, and is refused after", async () => {
    const { token } = await createSession(rt.database.db, { user: "viewer", role: "viewer" });
    const stream = await open(token);
    const cookie = `netatlas_session=${token}`;
    const signOut = await handleApiRequest(new Request("http://127.0.0.1:3000/api/trpc/auth.signOut", { method: "POST", headers: { cookie, "content-type": "application/json", origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000" } }), async () => rt);
    expect(signOut.status).toBe(200);
    // Well before a recheck: the sign-out itself ends it.
    expect(await endOf(stream, RECHECK_MS / 2)).toBe("ended");
    expect((await liveEvents(rt, new Request("http://127.0.0.1:3000/api/events/node1", { headers: { cookie } }), "node1")).status).toBe(401);
  });

  it("ends at the next recheck once its session expires or is ended elsewhere", async () => {
    const { token, expiresAt } = await createSession(rt.database.db, { user: "admin", role: "admin" });
    const stream = await open(token);
    await rt.database.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1_000) }).where(eq(sessions.expiresAt, expiresAt));
    expect(await endOf(stream, 3 * RECHECK_MS)).toBe("ended");
  });
});
