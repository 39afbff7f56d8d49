import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { NodeSnapshot } from "@netatlas/core";
import { createAgentClient } from "./client.js";
import { createAgentHttpHandler } from "./http-handler.js";
import { SnapshotVersions } from "./snapshot-versions.js";
import type { AgentPorts } from "./ports.js";
import { EXPENSIVE_REQUESTS_PER_TOKEN, MAX_ANSWER_CHARS, MAX_BATCH_CALLS, STREAMS_PER_TOKEN } from "./request-limits.js";

const READ = "read-token-0123456789abcdef";
const OTHER = "read-token-fedcba9876543210";

/** About 1 MB of JSON, as a snapshot of a big node would be; the router does not validate snapshots. */
const bigSnapshot = { node: "node-a", namespaces: Array.from({ length: 10_000 }, (_, id) => ({ id, names: [`ns-${id}-${"x".repeat(80)}`] })) } as unknown as NodeSnapshot;
const bigLength = JSON.stringify(bigSnapshot).length;

interface TrpcError {
  message: string;
  code: number;
  data: { code: string; httpStatus: number; stack?: string };
}
type TrpcAnswer = { result: { data: unknown } } | { error: TrpcError };

describe("the agent's HTTP handler", () => {
  let server: Server;
  let base: string;
  let snapshotDelayMs = 0;
  let snapshotsRead = 0;
  const unexpected: Error[] = [];

  let served = bigSnapshot;
  const ports = {
    versions: new SnapshotVersions(),
    info: () => ({ version: "0.0.0", node: "node-a", capabilities: [], mode: "observe", reader: "netlink", startedAt: new Date().toISOString() }),
    snapshot: async () => {
      snapshotsRead++;
      await new Promise((resolve) => setTimeout(resolve, snapshotDelayMs));
      return served;
    },
    authenticate: (token: string | undefined) => (token === READ || token === OTHER ? "read" : null),
    events: { since: () => [], latestSeq: () => 0, subscribe: () => () => undefined },
    reconcile: { status: () => Promise.reject(new Error("state file /var/lib/netatlas-agent/intent.json is unreadable")) },
    startedAt: Date.now(),
  } as unknown as AgentPorts;

  const get = async (procedures: string[], token?: string) => {
    const path = `${base}/trpc/${procedures.join(",")}?batch=1&input=${encodeURIComponent(JSON.stringify(Object.fromEntries(procedures.map((_, i) => [i, {}]))))}`;
    const res = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const text = await res.text();
    return { status: res.status, length: text.length, body: JSON.parse(text) as TrpcAnswer[] | TrpcAnswer, contentLength: res.headers.get("content-length") };
  };
  const errorsOf = (body: TrpcAnswer[] | TrpcAnswer) => (Array.isArray(body) ? body : [body]).flatMap((a) => ("error" in a ? [a.error] : []));

  beforeAll(async () => {
    server = createServer(createAgentHttpHandler(ports, { onUnexpectedError: (error) => unexpected.push(error) }));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    snapshotDelayMs = 0;
    snapshotsRead = 0;
    served = bigSnapshot;
    unexpected.length = 0;
  });

  it("refuses a batch of 300 snapshot calls with one typed 400 naming the bound, reading nothing", async () => {
    const answer = await get(Array(300).fill("snapshot"), READ);
    expect(answer.status).toBe(400);
    expect(answer.length).toBeLessThan(1_000);
    expect(errorsOf(answer.body)).toEqual([expect.objectContaining({ message: expect.stringContaining(`at most ${MAX_BATCH_CALLS} calls`), data: expect.objectContaining({ code: "BAD_REQUEST", httpStatus: 400 }) })]);
    expect(snapshotsRead).toBe(0);
  });

  it("answers a batch of ten 1 MB snapshots only up to the answer bound; the rest get a typed 413", async () => {
    const answer = await get(Array(MAX_BATCH_CALLS).fill("snapshot"), READ);
    const fitting = Math.floor(MAX_ANSWER_CHARS / bigLength);
    expect(fitting).toBeLessThan(MAX_BATCH_CALLS);
    const errors = errorsOf(answer.body);
    expect(errors).toHaveLength(MAX_BATCH_CALLS - fitting);
    for (const error of errors) expect(error).toMatchObject({ message: expect.stringContaining("snapshot: its answer"), data: { code: "PAYLOAD_TOO_LARGE", httpStatus: 413 } });
    expect(answer.length).toBeLessThan(MAX_ANSWER_CHARS + 10_000);
  });

  it(`turns away a token's requests past ${EXPENSIVE_REQUESTS_PER_TOKEN} open snapshots with a typed 429, while health answers within 200 ms`, async () => {
    snapshotDelayMs = 500;
    const flood = Array.from({ length: 12 }, () => get(["snapshot"], READ));
    const another = get(["snapshot"], OTHER);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const healthMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const health = await get(["health"]);
      healthMs.push(performance.now() - started);
      expect(health.status).toBe(200);
    }
    const answers = await Promise.all(flood);
    expect(Math.max(...healthMs)).toBeLessThan(200);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(EXPENSIVE_REQUESTS_PER_TOKEN);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(12 - EXPENSIVE_REQUESTS_PER_TOKEN);
    expect(errorsOf(refused[0]!.body)[0]).toMatchObject({ message: expect.stringContaining("retry once one has answered"), data: { code: "TOO_MANY_REQUESTS" } });
    // Each token has its own bound, and a token's turns come back once its answers have left.
    expect((await another).status).toBe(200);
    expect((await get(["snapshot"], READ)).status).toBe(200);
  });

  it(`turns away a token's streams past ${STREAMS_PER_TOKEN} open with a typed 429, and gives the turn back when one closes`, async () => {
    const open = async (token: string) => {
      const abort = new AbortController();
      const res = await fetch(`${base}/trpc/events?input=${encodeURIComponent("{}")}`, { headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" }, signal: abort.signal });
      return { status: res.status, text: () => res.text(), close: () => abort.abort() };
    };
    const held = [];
    for (let i = 0; i < STREAMS_PER_TOKEN; i++) held.push(await open(READ));
    expect(held.map((s) => s.status)).toEqual(Array(STREAMS_PER_TOKEN).fill(200));
    // Over SSE the refusal is the stream's one event, which ends it.
    const refused = await open(READ);
    const said = await refused.text();
    expect(said).toContain(`already has ${STREAMS_PER_TOKEN} streams`);
    expect(said).toContain("TOO_MANY_REQUESTS");
    const other = await open(OTHER);
    expect(other.status).toBe(200);
    held.pop()?.close();
    // The turn is back once the server has seen the close: a new stream then says nothing of a refusal within 300 ms.
    await expect
      .poll(async () => {
        const again = await open(READ);
        const first = await Promise.race([again.text(), new Promise<string>((resolve) => setTimeout(() => resolve("still open"), 300))]);
        again.close();
        return first;
      })
      .toBe("still open");
    for (const stream of [...held, other]) stream.close();
  });

  it("answers an unexpected failure without a stack trace, and hands the stack to the log", async () => {
    const answer = await get(["reconcileStatus"], READ);
    expect(answer.status).toBe(500);
    const [error] = errorsOf(answer.body);
    expect(error?.message).toContain("intent.json is unreadable");
    expect(error?.data).not.toHaveProperty("stack");
    expect(unexpected).toHaveLength(1);
    expect(unexpected[0]?.stack).toContain("http-handler.test.ts");
  });

  it("answers a refusal without a stack trace and does not log it as unexpected", async () => {
    const answer = await get(["snapshot"]);
    expect(answer.status).toBe(401);
    expect(errorsOf(answer.body)[0]?.data).not.toHaveProperty("stack");
    expect(unexpected).toHaveLength(0);
  });

  it("answers a lone snapshot call from the snapshot's JSON made before, with the bytes tRPC would send", async () => {
    const alone = await get(["snapshot"], READ);
    // Two calls in one batch are tRPC's to answer (it streams them, without a length): the first is the lone call's answer.
    const batch = await get(["snapshot", "snapshot"], READ);
    expect(alone.status).toBe(200);
    expect(alone.body).toEqual([(batch.body as TrpcAnswer[])[0]]);
    expect([Number(alone.contentLength), batch.contentLength]).toEqual([alone.length, null]);
    const client = createAgentClient({ url: base, token: READ });
    expect(await client.snapshot.query({ maxAgeMs: 5 })).toEqual(bigSnapshot);
    expect(await client.snapshot.query()).toEqual(bigSnapshot);
    // A bad input is still tRPC's, which says what is wrong.
    await expect(client.snapshot.query({ maxAgeMs: -1 })).rejects.toThrow("maxAgeMs");
  });

  it("answers a lone snapshotFull call from the same JSON, with its stream position, as tRPC would; a new state gets the next version", async () => {
    const alone = await get(["snapshotFull"], READ);
    const batch = await get(["snapshotFull", "snapshotFull"], READ);
    expect(alone.status).toBe(200);
    expect(alone.body).toEqual([(batch.body as TrpcAnswer[])[0]]);
    expect(Number(alone.contentLength)).toBe(alone.length);
    const client = createAgentClient({ url: base, token: READ });
    const first = await client.snapshotFull.query();
    expect(first).toMatchObject({ type: "full", epoch: ports.versions.epoch, version: 1, snapshot: bigSnapshot });
    served = { ...bigSnapshot, node: "node-b" };
    const next = await client.snapshotFull.query({ maxAgeMs: 0 });
    expect([next.version, next.snapshot.node, next.hash === first.hash]).toEqual([2, "node-b", false]);
    // The stream opened from that position sends nothing until something changes: the client holds it all.
    expect(ports.versions.since(next.epoch, next.version)).toEqual([]);
    await expect(client.snapshotFull.query({ maxAgeMs: -1 })).rejects.toThrow("maxAgeMs");
  });

  it("lets our own client send more calls at once than one batch holds", async () => {
    const client = createAgentClient({ url: base, token: READ });
    const answers = await Promise.all(Array.from({ length: 3 * MAX_BATCH_CALLS }, () => client.health.query()));
    expect(answers.every((a) => a.status === "ok")).toBe(true);
  });
});
