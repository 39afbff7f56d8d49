import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { nodeFindings, type NodeSnapshot } from "@netatlas/core";
import type { WholeSnapshot } from "../src/server/fleet/whole-snapshot";
import { SnapshotIntake } from "../src/server/fleet/intake/snapshot-intake";
import { snapshots } from "../src/server/db/schema";
import { recordState } from "../src/server/store/snapshot-store";
import { snapshotOfParts, textOfSnapshot } from "../src/server/fleet/intake/lazy-parts";
import { sameJson } from "../src/server/fleet/intake/same-json";
import { agentsOnHttp } from "./agent-on-http";
import { labFleet } from "./lab-fleet";
import { useMigratedPglite } from "./migrated-pglite";

const app = fileURLToPath(new URL("..", import.meta.url));
const [snapshot] = labFleet() as [NodeSnapshot];
const TOKEN = "snapshot-intake-test-token";
const agents = agentsOnHttp(TOKEN);
/** An agent serving `served`; `older`: one from before snapshotFull. */
const agentOn = (served: { node: string }, older = false) => agents.start(served, older ? "snapshotFull" : undefined);

const options = { timeoutMs: 5_000, maxAnswerBytes: 32 * 1024 * 1024 };
const target = (url: string, token = TOKEN) => ({ name: snapshot.node, url, token, source: "config" as const });

afterEach(() => agents.close());

describe("the snapshot intake, on its real thread (the app's bundle)", () => {
  const database = useMigratedPglite("netatlas-intake-history-");
  let intake: SnapshotIntake;
  const log: string[] = [];

  beforeAll(() => {
    execFileSync(process.execPath, ["scripts/build-worker.mjs"], { cwd: app });
    const built = SnapshotIntake.ofBuild(app, (m) => log.push(m));
    if (!built) throw new Error(`no intake bundle in ${app}: ${log.join("; ")}`);
    intake = built;
  }, 60_000);
  afterAll(() => intake?.stop());

  it("gives the agent's whole snapshot as it sent it, its position, and the findings core finds in it", async () => {
    const whole = await intake.whole(target(await agentOn(snapshot)), options);
    expect(whole).toMatchObject({ type: "full", version: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // The big parts wait to be read; reading one gives the agent's.
    expect(Object.getOwnPropertyDescriptor(whole?.snapshot, "routes")?.get).toBeTypeOf("function");
    expect(whole?.snapshot.routes).toEqual(snapshot.routes);
    expect(JSON.stringify(whole?.snapshot)).toBe(JSON.stringify(snapshot));
    expect(whole?.findings).toEqual(nodeFindings(snapshot));
  });

  it("takes the snapshot as the model has it where the check changed the answer (a field this dashboard does not know)", async () => {
    const extra = { ...snapshot, routes: [{ ...snapshot.routes[0], fromANewerAgent: true }, ...snapshot.routes.slice(1)] };
    const whole = await intake.whole(target(await agentOn(extra)), options);
    expect(whole?.snapshot.routes).toEqual(snapshot.routes);
    expect(JSON.stringify(whole?.snapshot)).toBe(JSON.stringify(snapshot));
  });

  it("goes into the history as the JSON it came in (the agent's answer, or the checked snapshot's), under the dashboard's name for the node, its parts never parsed here", async () => {
    const db = database().db;
    const extra = { ...snapshot, routes: [{ ...snapshot.routes[0], fromANewerAgent: true }, ...snapshot.routes.slice(1)] };
    for (const [node, served] of [["as-sent", snapshot], ["as-checked", extra]] as const) {
      const whole = (await intake.whole(target(await agentOn(served)), options)) as WholeSnapshot;
      expect(textOfSnapshot(whole.snapshot)?.path).toEqual(served === snapshot ? ["0", "result", "data", "snapshot"] : []);
      await recordState(db, node, { snapshot: whole.snapshot, hash: whole.hash });
      expect(textOfSnapshot(whole.snapshot)).toBeDefined();
      // As stored, not as read back (reading checks it again, which would drop a field the model lacks).
      const [stored] = await db.select({ body: snapshots.body }).from(snapshots).where(eq(snapshots.node, node));
      expect(stored?.body).toEqual(JSON.parse(JSON.stringify({ ...snapshot, node })));
    }
  });

  it("says an agent from before snapshotFull has none (undefined), so the stream sends the whole snapshot", async () => {
    await expect(intake.whole(target(await agentOn(snapshot, true)), options)).resolves.toBeUndefined();
  });

  it("refuses a snapshot that does not match the model, naming the field", async () => {
    const broken = { ...snapshot, routes: [{ ...snapshot.routes[0], dst: 42 }] };
    await expect(intake.whole(target(await agentOn(broken)), options)).rejects.toThrow(/its snapshot does not match this dashboard's model: snapshot\.routes\.0\.dst/);
  });

  it("fails with the agent's refusal for a wrong token, and goes on serving others", async () => {
    const url = await agentOn(snapshot);
    await expect(intake.whole(target(url, "not-the-token"), options)).rejects.toThrow(/token/i);
    await expect(intake.whole(target(url), options)).resolves.toMatchObject({ snapshot: { node: snapshot.node } });
  });

  it("refuses asks once stopped", async () => {
    const stopped = SnapshotIntake.ofBuild(app, () => undefined) as SnapshotIntake;
    await stopped.stop();
    await expect(stopped.whole(target(await agentOn(snapshot)), options)).rejects.toThrow("the snapshot intake is stopped");
  });

  it("is absent, and says so, where the build has no bundle", () => {
    const said: string[] = [];
    expect(SnapshotIntake.ofBuild("/nonexistent-app", (m) => said.push(m))).toBeUndefined();
    expect(said[0]).toMatch(/no dist\/snapshot-intake-worker\.cjs in \/nonexistent-app.*checked on the event loop/);
  });
});

describe("a snapshot of checked parts", () => {
  const eager = { node: "n1", collectedAt: "2026-01-01T00:00:00Z" };
  const whole = '{"node":"n1","routes":[{"dst":"10.0.0.0/8"}],"collectedAt":"2026-01-01T00:00:00Z","links":[{"name":"eth0"}]}';
  const keys = ["node", "routes", "collectedAt", "links"];
  const inAnswer = { text: `[{"result":{"data":{"version":3,"snapshot":${whole}}}}]`, path: ["0", "result", "data", "snapshot"] };
  let parse: MockInstance<typeof JSON.parse>;
  beforeEach(() => void (parse = vi.spyOn(JSON, "parse")));
  afterEach(() => parse.mockRestore());

  it("keeps the keys' order and parses the rest (at its place in the text) only when a part of it is read, once", () => {
    const parsed = snapshotOfParts(eager, keys, inAnswer) as unknown as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(keys);
    expect(parsed.node).toBe("n1");
    expect(parse).not.toHaveBeenCalled();
    expect(textOfSnapshot(parsed as unknown as NodeSnapshot)).toBe(inAnswer);
    const routes = parsed.routes;
    expect(routes).toEqual([{ dst: "10.0.0.0/8" }]);
    expect([parsed.routes, parsed.links]).toEqual([routes, [{ name: "eth0" }]]);
    expect(parsed.routes).toBe(routes);
    expect(parse).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(parsed)).toBe(whole);
    // Read, it no longer hands out the text (which it let go).
    expect(textOfSnapshot(parsed as unknown as NodeSnapshot)).toBeUndefined();
  });

  it("takes a new value for a part, read or not, and then no longer passes for its text", () => {
    const parsed = snapshotOfParts(eager, keys, { text: whole, path: [] }) as unknown as Record<string, unknown>;
    parsed.links = [];
    expect(parsed.links).toEqual([]);
    expect({ ...parsed }).toEqual({ node: "n1", routes: [{ dst: "10.0.0.0/8" }], collectedAt: "2026-01-01T00:00:00Z", links: [] });
    expect(textOfSnapshot(parsed as unknown as NodeSnapshot)).toBeUndefined();
  });
});

describe("the same JSON", () => {
  it("is the same values under the same keys, in any order", () => {
    expect(sameJson({ a: [1, { b: "x", c: null }], d: true }, { d: true, a: [1, { c: null, b: "x" }] })).toBe(true);
  });

  it("is not a key more or less, a value of another type, or another order of items", () => {
    expect(sameJson({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameJson({ a: 1, b: 2 }, { a: 1 })).toBe(false);
    expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(false);
    expect(sameJson({ a: "1" }, { a: 1 })).toBe(false);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson([], {})).toBe(false);
    expect(sameJson({ a: null }, { a: {} })).toBe(false);
  });
});
