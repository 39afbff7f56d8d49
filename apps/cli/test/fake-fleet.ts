import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { writeContextFile } from "../src/config/context-file.js";
import { ADMIN_TOKEN, REVOKED_TOKEN, startFakeDashboard, VIEWER_TOKEN, type FakeAnswers, type FakeDashboard } from "./fake-dashboard.js";
import { fleetAnswers } from "./fleet-answers.js";
import { runCli, type RunOptions } from "./run-cli.js";

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface FakeFleet {
  /** The test's own directory; the context file is in it. */
  dir: string;
  env: { NETATLAS_CONFIG: string };
  /** The fake's answers: a test may change one and put it back. */
  answers: FakeAnswers;
  dashboard: FakeDashboard;
  /** Where nothing listens (context "dead"). */
  deadUrl: string;
  cli(args: string[], options?: RunOptions): ReturnType<typeof runCli>;
  /** The calls of `path` the dashboard let in. */
  called(path: string): FakeDashboard["calls"];
}

const MATRIX = {
  nodes: ["node1", "node2"],
  cells: [
    { from: "node1", to: "node1", state: "delivered", verdict: "delivered", message: "ok" },
    { from: "node1", to: "node2", state: "failed", verdict: "no-route", message: "node1's host has no route to 10.244.2.3" },
    { from: "node2", to: "node1", state: "delivered", verdict: "delivered", message: "ok" },
    { from: "node2", to: "node2", state: "no-endpoint", verdict: null, message: "node2 has no pods" },
  ],
};

/**
 * A fake dashboard (with a reachability matrix) and a context file naming it in
 * several ways: "admin" (current), "viewer", "revoked", "older" (a dashboard
 * without fleet.reachability) and "dead" (nothing listens). Made in beforeAll,
 * removed in afterAll; the fields are there once beforeAll ran.
 */
export function useFakeFleet(): FakeFleet {
  const dir = mkdtempSync(join(tmpdir(), "netatlas-cli-test-"));
  const env = { NETATLAS_CONFIG: join(dir, "netatlas", "config") };
  let older: FakeDashboard | undefined;
  const fleet = {
    dir,
    env,
    cli: (args: string[], options: RunOptions = {}) => runCli(args, { env, ...options }),
    called: (path: string) => fleet.dashboard.calls.filter((c) => c.path === path),
  } as FakeFleet;
  beforeAll(async () => {
    fleet.answers = { ...fleetAnswers(), reachability: MATRIX };
    fleet.dashboard = await startFakeDashboard(fleet.answers);
    older = await startFakeDashboard(fleetAnswers());
    fleet.deadUrl = `http://127.0.0.1:${await closedPort()}`;
    writeContextFile(env.NETATLAS_CONFIG, {
      "current-context": "admin",
      contexts: [
        { name: "admin", server: fleet.dashboard.url, token: ADMIN_TOKEN },
        { name: "viewer", server: fleet.dashboard.url, token: VIEWER_TOKEN },
        { name: "revoked", server: fleet.dashboard.url, token: REVOKED_TOKEN },
        { name: "older", server: older.url, token: ADMIN_TOKEN },
        { name: "dead", server: fleet.deadUrl, token: ADMIN_TOKEN },
      ],
    });
  });
  afterAll(async () => {
    await Promise.all([fleet.dashboard?.close(), older?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });
  return fleet;
}
