import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { snapshotDelta, snapshotHash, type NodeSnapshot } from "@netatlas/core";
import type { SnapshotFullMessage, SnapshotStreamMessage } from "@netatlas/agent-api";
import { labFleet } from "../../../test/lab-fleet";
import type { NodeStateRecord } from "../store/snapshot-store";
import type { AgentConnection } from "./agent-connection";
import { NodeStream, StreamUnsupportedError } from "./node-stream";

const [base] = labFleet() as [NodeSnapshot];
const EPOCH = "00112233aabbccdd";
const next = (s: NodeSnapshot, n: number): NodeSnapshot => ({ ...s, collectedAt: new Date(Date.parse(s.collectedAt) + n * 1000).toISOString(), warnings: [`change ${n}`] });
const full = (snapshot: NodeSnapshot, version: number): SnapshotFullMessage => ({ type: "full", epoch: EPOCH, version, hash: snapshotHash(snapshot), snapshot });
const delta = (before: NodeSnapshot, after: NodeSnapshot, from: number): SnapshotStreamMessage => ({ type: "delta", epoch: EPOCH, from, version: from + 1, hash: snapshotHash(after), delta: snapshotDelta(before, after) });
const heartbeat = (snapshot: NodeSnapshot, version: number, intervalMs = 1_000): SnapshotStreamMessage => ({ type: "heartbeat", epoch: EPOCH, version, hash: snapshotHash(snapshot), at: new Date().toISOString(), intervalMs });

/** An agent connection whose streams the test drives: each open is recorded with the position it asked from. */
function scriptedAgent() {
  const opens: { from: string | undefined; send: (m: SnapshotStreamMessage) => void; fail: (e: Error) => void; closed: boolean }[] = [];
  const connection: AgentConnection = {
    snapshot: () => Promise.reject(new Error("not polled")),
    follow: () => () => undefined,
    stream(from, onMessage, onError) {
      const open = { from, send: onMessage, fail: onError, closed: false };
      opens.push(open);
      return () => void (open.closed = true);
    },
  };
  const last = () => opens.at(-1) as (typeof opens)[number];
  return { connection, opens, last };
}

function follow(connection: AgentConnection, random = () => 0.5) {
  const seen = { states: [] as NodeStateRecord[], alive: 0, failures: [] as { error: string; retryInMs: number }[], unsupported: [] as string[] };
  const stream = new NodeStream(
    connection,
    {
      state: (r) => seen.states.push(r),
      alive: () => seen.alive++,
      failed: (error, retryInMs) => seen.failures.push({ error: error.message, retryInMs }),
      unsupported: (error) => seen.unsupported.push(error.message),
    },
    { firstMessageMs: 2_000, firstRetryMs: 500, maxRetryMs: 8_000, random },
  );
  stream.start();
  return { stream, seen };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("a node's snapshot stream", () => {
  it("holds the whole snapshot, applies each delta to it, and hands on the agent's hash with the delta", () => {
    const agent = scriptedAgent();
    const { stream, seen } = follow(agent.connection);
    const second = next(base, 1);
    agent.last().send(full(base, 1));
    agent.last().send(delta(base, second, 1));
    agent.last().send(heartbeat(second, 2));
    expect(seen.states.map((s) => [s.hash, !!s.delta, s.deltaFrom])).toEqual([
      [snapshotHash(base), false, undefined],
      [snapshotHash(second), true, snapshotHash(base)],
    ]);
    expect(seen.states[1]?.snapshot.warnings).toEqual(["change 1"]);
    expect([seen.alive, stream.live]).toEqual([1, true]);
    stream.stop();
  });

  it("starts over with the whole snapshot when a delta does not follow the state held", () => {
    const agent = scriptedAgent();
    const { stream, seen } = follow(agent.connection);
    agent.last().send(full(base, 1));
    agent.last().send(delta(next(base, 1), next(base, 2), 2));
    expect(agent.opens.map((o) => [o.from, o.closed])).toEqual([[undefined, true], [undefined, false]]);
    expect(seen.states).toHaveLength(1);
    stream.stop();
  });

  it("asks again from the version held when a heartbeat says the agent is elsewhere", () => {
    const agent = scriptedAgent();
    const { stream } = follow(agent.connection);
    agent.last().send(full(base, 4));
    agent.last().send(heartbeat(next(base, 1), 5));
    expect(agent.opens.map((o) => o.from)).toEqual([undefined, `${EPOCH}:4`]);
    stream.stop();
  });

  it("takes an agent silent for two heartbeats for gone, and reconnects from where it was with growing, jittered delays", () => {
    const agent = scriptedAgent();
    const { stream, seen } = follow(agent.connection, () => 1);
    agent.last().send(full(base, 1));
    agent.last().send(heartbeat(base, 1, 1_000));
    vi.advanceTimersByTime(1_999);
    expect(seen.failures).toHaveLength(0);
    vi.advanceTimersByTime(1);
    // The quiet timer has fired; a message read before its verdict (after I/O) still counts.
    agent.last().send(heartbeat(base, 1, 1_000));
    vi.advanceTimersByTime(1_999);
    expect(seen.failures).toHaveLength(0);
    vi.advanceTimersByTime(1);
    vi.advanceTimersToNextTimer();
    expect(seen.failures).toEqual([{ error: "no message from the agent for 2000 ms (two heartbeats)", retryInMs: 500 }]);
    expect(stream.live).toBe(false);
    vi.advanceTimersByTime(500);
    expect(agent.opens.map((o) => o.from)).toEqual([undefined, `${EPOCH}:1`]);
    // Refused twice more: each wait doubles (random 1: the whole ceiling).
    agent.last().fail(new Error("connect ECONNREFUSED"));
    vi.advanceTimersByTime(1_000);
    agent.last().fail(new Error("connect ECONNREFUSED"));
    expect(seen.failures.map((f) => f.retryInMs)).toEqual([500, 1_000, 2_000]);
    vi.advanceTimersByTime(2_000);
    agent.last().send(delta(base, next(base, 1), 1));
    expect([stream.live, seen.states.length]).toEqual([true, 2]);
    // A message resets the backoff.
    agent.last().fail(new Error("connection reset"));
    expect(seen.failures.at(-1)?.retryInMs).toBe(500);
    stream.stop();
  });

  it("spreads the reconnects of agents that failed together", () => {
    const delays = [0, 0.5, 1].map((r) => {
      const agent = scriptedAgent();
      const { stream, seen } = follow(agent.connection, () => r);
      agent.last().fail(new Error("connect ECONNREFUSED"));
      stream.stop();
      return seen.failures[0]?.retryInMs;
    });
    expect(delays).toEqual([250, 375, 500]);
  });

  it("takes the whole snapshot as a plain answer first, then opens the stream from its position", async () => {
    const agent = scriptedAgent();
    agent.connection.full = () => Promise.resolve(full(base, 3));
    const { stream, seen } = follow(agent.connection);
    await vi.advanceTimersByTimeAsync(0);
    expect(seen.states.map((r) => r.hash)).toEqual([snapshotHash(base)]);
    expect([agent.opens.map((o) => o.from), stream.live, stream.opening]).toEqual([[`${EPOCH}:3`], true, false]);
    // The stream goes on from there: a delta from version 3 applies to the snapshot answered.
    agent.last().send(delta(base, next(base, 1), 3));
    expect(seen.states.map((r) => r.deltaFrom)).toEqual([undefined, snapshotHash(base)]);
    stream.stop();
  });

  it("leaves the whole snapshot to the stream when the plain answer fails (e.g. a snapshot over the agent's answer bound)", async () => {
    const agent = scriptedAgent();
    agent.connection.full = () => Promise.reject(new Error("the answer is over 8388608 characters"));
    const { stream, seen } = follow(agent.connection);
    await vi.advanceTimersByTimeAsync(0);
    expect([agent.opens.map((o) => o.from), stream.opening, seen.failures]).toEqual([[undefined], true, []]);
    agent.last().send(full(base, 1));
    expect([seen.states.length, stream.opening]).toEqual([1, false]);
    stream.stop();
  });

  it("opens the stream for the whole snapshot when the agent has no plain answer for it (an older agent)", async () => {
    const agent = scriptedAgent();
    agent.connection.full = () => Promise.resolve(undefined);
    const { stream, seen } = follow(agent.connection);
    await vi.advanceTimersByTimeAsync(0);
    expect([agent.opens.map((o) => o.from), stream.opening]).toEqual([[undefined], true]);
    agent.last().send(full(base, 1));
    expect([seen.states.length, stream.opening]).toEqual([1, false]);
    stream.stop();
  });

  it("gives up at once on an agent without a stream", () => {
    const agent = scriptedAgent();
    const { seen } = follow(agent.connection);
    agent.last().fail(new StreamUnsupportedError("agent n1 has no snapshot stream"));
    vi.advanceTimersByTime(60_000);
    expect([seen.unsupported, seen.failures, agent.opens.length]).toEqual([["agent n1 has no snapshot stream"], [], 1]);
  });
});
