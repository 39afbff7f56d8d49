import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { snapshotHash } from "@netatlas/core";
import type { NodeSnapshot } from "@netatlas/core";
import { appRouter } from "../src/server/api/root";
import { loadConfig } from "../src/server/config";
import { openDatabase } from "../src/server/db/open";
import { startRuntime, type Runtime } from "../src/server/runtime";
import { bootstrapCaller, callContext } from "./callers";
import { labFleet } from "./lab-fleet";

const migrationsDir = fileURLToPath(new URL("../drizzle", import.meta.url));
const [snapshot] = labFleet() as [NodeSnapshot];

/** Every file and directory under `dir` (not following links), with its mode. */
function walk(dir: string): { path: string; mode: number; file: boolean }[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const stat = lstatSync(path);
    const here = { path, mode: stat.mode & 0o777, file: stat.isFile() };
    return stat.isDirectory() ? [here, ...walk(path)] : [here];
  });
}

describe("the data directory", () => {
  it("is this user's alone after PGlite opens: files 0600, directories 0700, also those there before", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "netatlas-dash-modes-"));
    try {
      chmodSync(dataDir, 0o755);
      mkdirSync(join(dataDir, "old"), { mode: 0o777 });
      writeFileSync(join(dataDir, "old", "left.txt"), "x", { mode: 0o666 });
      chmodSync(join(dataDir, "old", "left.txt"), 0o666);
      const database = await openDatabase({ dataDir, migrationsDir });
      await database.close();
      const entries = walk(dataDir);
      expect(entries.length).toBeGreaterThan(100);
      expect(entries.filter((e) => (e.mode & 0o077) !== 0).map((e) => `${e.path} ${e.mode.toString(8)}`)).toEqual([]);
      expect(lstatSync(dataDir).mode & 0o777).toBe(0o700);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

/** Agents' tokens never reach the database's files in plain text: not from configuration, not from the UI. */
describe("agent tokens and the database", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "netatlas-dash-tokens-"));
  const CONFIG_TOKEN = "config-read-token-0d5e8f3a9c1b";
  const UI_TOKEN = "ui-read-token-7a2c4e6b8d0f";
  const authorized: string[] = [];
  let agent: Server;
  let rt: Runtime | undefined;

  beforeAll(async () => {
    // A fake agent that answers only a known token.
    agent = createServer((req, res) => {
      const token = req.headers.authorization?.replace(/^Bearer /, "") ?? "";
      if (![CONFIG_TOKEN, UI_TOKEN].includes(token) || !req.url?.startsWith("/trpc/snapshotIfChanged")) return void res.writeHead(401).end();
      authorized.push(token);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify([{ result: { data: { hash: snapshotHash(snapshot), collectedAt: snapshot.collectedAt, snapshot } } }]));
    });
    await new Promise<void>((resolve) => agent.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(agent.address() as AddressInfo).port}`;
    const config = loadConfig({ NETATLAS_DATA_DIR: dataDir, NETATLAS_ADMIN_PASSWORD: "tokens-test-password", NETATLAS_POLL_INTERVAL_MS: "500", NETATLAS_AGENTS: JSON.stringify([{ name: "configured", url, token: CONFIG_TOKEN }]) });
    rt = await startRuntime(config, { migrationsDir });
    const admin = appRouter.createCaller(callContext(rt, bootstrapCaller("admin")));
    await admin.nodes.add({ name: "added", url, token: UI_TOKEN });
  }, 60_000);

  afterAll(async () => {
    await rt?.stop();
    await new Promise((resolve) => agent.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("polls with both tokens, and no file of the data directory holds either", async () => {
    await expect.poll(() => [rt?.poller.node("configured")?.snapshot, rt?.poller.node("added")?.snapshot].every(Boolean), { timeout: 10_000 }).toBe(true);
    expect(new Set(authorized)).toEqual(new Set([CONFIG_TOKEN, UI_TOKEN]));
    await rt?.stop();
    rt = undefined;
    const holding = walk(dataDir).filter((e) => e.file).filter((e) => {
      const bytes = readFileSync(e.path);
      return bytes.includes(CONFIG_TOKEN) || bytes.includes(UI_TOKEN);
    });
    expect(holding.map((e) => e.path)).toEqual([]);
    expect(lstatSync(join(dataDir, "secret.key")).mode & 0o777).toBe(0o600);
  }, 30_000);

  it("opens a UI node's sealed token again after a restart", async () => {
    const url = `http://127.0.0.1:${(agent.address() as AddressInfo).port}`;
    rt = await startRuntime(loadConfig({ NETATLAS_DATA_DIR: dataDir, NETATLAS_ADMIN_PASSWORD: "tokens-test-password" }), { migrationsDir });
    expect(rt.poller.targets()).toEqual([{ name: "added", url, token: UI_TOKEN, source: "ui" }]);
  }, 30_000);
});
