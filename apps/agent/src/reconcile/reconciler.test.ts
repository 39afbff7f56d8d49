import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { NetworkChange, NodeIntent, NodeSnapshot, Op } from "@netatlas/core";
import { fakeDockerd, type FakeDockerd } from "@netatlas/linux/testing";
import pino from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Journal, JOURNAL_FILE } from "./journal.js";
import { Reconciler } from "./reconciler.js";
import { StateStore } from "./state-store.js";

const app = { name: "app", subnet: "172.31.0.0/24", gateway: "172.31.0.1", mtu: 1450, masquerade: false, icc: true };
const intent: NodeIntent = { node: "node1", routes: [], neighbors: [], fdb: [], masquerade: false, docker: { networks: [app], routes: [] } };
const replace: Op = { op: "docker-network-replace", id: "old1", ...app, containers: [{ id: "c1", name: "web", state: "running" }, { id: "c2", name: "db", state: "exited" }], disruptive: true, reason: "MTU 1500 (should be 1450)" };

/** The node after the cut-off replace made `app` again: it matches the intent, but nothing is on it. */
const snapshot = async () =>
  ({
    node: "node1", namespaces: [{ id: 1, kind: "host", names: [] }], links: [], addresses: [], routes: [], neighbors: [], fdb: [], nat: [], containers: [], pods: [],
    dockerNetworks: [{ id: "new1", name: "app", driver: "bridge", scope: "local", internal: false, subnets: [{ subnet: app.subnet, gateway: app.gateway }], mtu: 1450, masquerade: false, icc: true, options: {}, labels: { "io.netatlas.owned": "true" }, endpoints: [] }],
  }) as unknown as NodeSnapshot;

// Each test's fake dockerd and state directory, removed after it whatever happened.
let dockerd: FakeDockerd | undefined;
let dir: string | undefined;
afterEach(async () => {
  await dockerd?.close();
  dockerd = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

// The fake dockerd answers the inspect of `app` (db is back on it already) and records every call.
describe("rolling forward an apply cut off inside a Docker network replace", () => {
  it("connects back the containers the journal's replace had disconnected, and says so", async () => {
    dir = await mkdtemp(join(tmpdir(), "netatlas-reconciler-"));
    dockerd = await fakeDockerd(({ method }) => (method === "GET" ? { status: 200, json: { Name: "app", Containers: { c2: { Name: "db" } } } } : { status: 200 }));
    const socket = dockerd.socket;
    const store = new StateStore(join(dir, "state"));
    const journal: Journal = { planHash: "a".repeat(64), intent, ops: [replace], opsDone: 0, startedAt: new Date().toISOString() };
    await store.write(JOURNAL_FILE, journal);
    const published: NetworkChange[] = [];
    await new Reconciler({ store, snapshot, log: pino({ level: "silent" }), dockerSocket: socket, publish: (c) => published.push(c) }).start();
    expect(dockerd.calls).toEqual([{ method: "GET", url: "/networks/app", body: undefined }, { method: "POST", url: "/networks/app/connect", body: { Container: "c1" } }]);
    expect(published.map((c) => c.detail)).toEqual([expect.stringContaining("Docker network app: web connected, db already-connected")]);
    expect(await store.read(JOURNAL_FILE, Journal)).toBeUndefined();
  });
});

describe("repair mode", () => {
  it("repairs what it can on its own and leaves a change that would disconnect containers as drift", async () => {
    dir = await mkdtemp(join(tmpdir(), "netatlas-reconciler-"));
    dockerd = await fakeDockerd(() => ({ status: 201, json: { Id: "made1" } }));
    // `app` has MTU 1500 with web on it (a replace: disruptive); `jobs` is missing (a create: not).
    const jobs = { ...app, name: "jobs", subnet: "172.31.1.0/24", gateway: "172.31.1.1" };
    const kept: NodeIntent = { ...intent, docker: { networks: [app, jobs], routes: [] } };
    const network = (name: string, extra: object) => ({ name, driver: "bridge", scope: "local", internal: false, subnets: [], options: {}, labels: {}, endpoints: [], ...extra });
    const drifted = {
      node: "node1", namespaces: [{ id: 1, kind: "host", names: [] }], links: [], addresses: [], routes: [], neighbors: [], fdb: [], nat: [], pods: [],
      containers: [{ id: "c1", name: "web", state: "running", endpoints: [{ network: "app" }] }],
      dockerNetworks: [
        network("host", { id: "h" }),
        network("none", { id: "n" }),
        network("app", { id: "old1", subnets: [{ subnet: app.subnet, gateway: app.gateway }], mtu: 1500, masquerade: false, icc: true, labels: { "io.netatlas.owned": "true" }, endpoints: [{ containerId: "c1", name: "web" }] }),
      ],
    } as unknown as NodeSnapshot;
    const store = new StateStore(join(dir, "state"));
    await store.write("intent.json", kept);
    const published: NetworkChange[] = [];
    const reconciler = new Reconciler({ store, snapshot: async () => drifted, log: pino({ level: "silent" }), dockerSocket: dockerd.socket, publish: (c) => published.push(c) });
    await reconciler.start();
    await reconciler.setMode("repair");
    reconciler.checkDrift(drifted);
    await vi.waitFor(() => expect(published.map((c) => c.kind)).toEqual(["drift", "repair"]));
    expect(published[0]?.detail).toMatch(/docker network create .* jobs .*DISRUPTIVE: docker network disconnect --force app web/);
    // Only the create reached dockerd: nothing disconnected web or removed app.
    expect(dockerd.calls.map((c) => `${c.method} ${c.url} ${(c.body as { Name?: string } | undefined)?.Name ?? ""}`)).toEqual(["POST /networks/create jobs"]);
    expect((await reconciler.status()).drift.map((op) => op.op)).toContain("docker-network-replace");
  });
});

describe("the mode", () => {
  it("comes back as it was set after a restart without warning (a new Reconciler on the same state directory)", async () => {
    dir = await mkdtemp(join(tmpdir(), "netatlas-reconciler-"));
    const store = new StateStore(join(dir, "state"));
    const options = { store, snapshot, log: pino({ level: "silent" }) };
    const before = new Reconciler(options);
    await before.start();
    expect(before.mode).toBe("observe");
    await before.setMode("repair");
    const after = new Reconciler(options);
    await after.start();
    expect(after.mode).toBe("repair");
    expect((await after.status()).mode).toBe("repair");
    await after.setMode("observe");
    const again = new Reconciler(options);
    await again.start();
    expect(again.mode).toBe("observe");
  });

  it("stays as it was when it cannot be written, and says why", async () => {
    dir = await mkdtemp(join(tmpdir(), "netatlas-reconciler-"));
    // The state directory is a file: nothing can be written under it.
    await writeFile(join(dir, "state"), "");
    const reconciler = new Reconciler({ store: new StateStore(join(dir, "state")), snapshot, log: pino({ level: "silent" }) });
    await expect(reconciler.setMode("repair")).rejects.toThrow(/cannot write .*state\/mode\.json: .*the state directory \(--state-dir\) must be a directory this agent can write/);
    expect(reconciler.mode).toBe("observe");
  });
});
