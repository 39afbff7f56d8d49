import { afterEach, describe, expect, it, vi } from "vitest";
import { snapshotDelta, type AgentEvent, type NodeSnapshot } from "@netatlas/core";
import type { SnapshotStreamMessage } from "@netatlas/agent-api";
import { labFleet } from "../../../test/lab-fleet";
import type { AgentTarget } from "../agent-target";
import { snapshotHash } from "@netatlas/core";
import type { AgentConnection } from "./agent-connection";
import { StreamUnsupportedError } from "./node-stream";
import { memoOnContent } from "./content-memo";
import { FleetPoller } from "./poller";

const [snapshot] = labFleet() as [NodeSnapshot];
const target = (name: string): AgentTarget => ({ name, url: `unix:/run/${name}.sock`, source: "config" });
const never = new Promise<NodeSnapshot>(() => undefined);

/** An agent without a snapshot stream that reads its node with `answer` and, like a real one, leaves out a snapshot the caller holds. */
function fakeAgent(answer: () => Promise<NodeSnapshot>, events: AgentEvent[] = []): AgentConnection {
  return {
    stream(_from, _onMessage, onError) {
      onError(new StreamUnsupportedError("this fake agent polls"));
      return () => undefined;
    },
    snapshot: async (knownHash) => {
      const read = await answer();
      const hash = snapshotHash(read);
      return { hash, collectedAt: read.collectedAt, snapshot: hash === knownHash ? null : read };
    },
    follow(onEvent) {
      for (const e of events) onEvent(e);
      return () => undefined;
    },
  };
}

const EPOCH = "0123456789abcdef";
/** A stream's first message: `snapshot` whole, at version 1. */
const whole: SnapshotStreamMessage = { type: "full", epoch: EPOCH, version: 1, hash: snapshotHash(snapshot), snapshot };
/** A poller's options when its agents stream: polls far apart (a poll seen is one the test made), `concurrency` openings at a time. */
const followingStreams = (concurrency: number) => ({ intervalMs: 60_000, timeoutMs: 1_000, concurrency, log: () => undefined });

let poller: FleetPoller | undefined;
afterEach(() => poller?.stop());

describe("fleet poller", () => {
  it("never has more agents in flight than its concurrency", async () => {
    let inFlight = 0;
    let most = 0;
    const answer = async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return snapshot;
    };
    poller = new FleetPoller({ connect: () => fakeAgent(answer), intervalMs: 1_000, timeoutMs: 1_000, concurrency: 3 });
    poller.setTargets(Array.from({ length: 20 }, (_, i) => target(`n${i}`)));
    await poller.pollOnce();
    expect(most).toBe(3);
    expect(poller.nodes().filter((n) => n.snapshot)).toHaveLength(20);
  });

  it("keeps polling the others on their own clock while one agent hangs", async () => {
    let fastPolls = 0;
    poller = new FleetPoller({ connect: (t) => fakeAgent(() => (t.name === "hung" ? never : (fastPolls++, Promise.resolve(snapshot)))), intervalMs: 20, timeoutMs: 1_000, concurrency: 2, log: () => undefined });
    poller.setTargets([target("hung"), target("fast")]);
    poller.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(fastPolls).toBeGreaterThan(5);
    expect(poller.node("hung")?.inFlight).toBe(true);
  });

  it("keeps polling the others when one agent does not answer, and marks that one with a timeout", async () => {
    poller = new FleetPoller({ connect: (t) => fakeAgent(() => (t.name === "slow" ? never : Promise.resolve(snapshot))), intervalMs: 1_000, timeoutMs: 50, concurrency: 1, log: () => undefined });
    poller.setTargets([target("slow"), target("fast")]);
    const started = Date.now();
    await poller.pollOnce();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(poller.node("fast")).toMatchObject({ snapshot, lastError: undefined });
    expect(poller.node("slow")?.snapshot).toBeUndefined();
    expect(poller.node("slow")?.lastError).toMatch(/agent slow \(unix:\/run\/slow.sock\): no answer within 50 ms/);
  });

  it("keeps the last snapshot of an agent that stops answering, with the error", async () => {
    let up = true;
    poller = new FleetPoller({ connect: () => fakeAgent(() => (up ? Promise.resolve(snapshot) : Promise.reject(new Error("connect ECONNREFUSED")))), intervalMs: 1_000, timeoutMs: 100, concurrency: 2, log: () => undefined });
    poller.setTargets([target("a")]);
    await poller.pollOnce();
    up = false;
    await poller.pollOnce();
    expect(poller.node("a")).toMatchObject({ snapshot, lastError: "agent a (unix:/run/a.sock): connect ECONNREFUSED" });
  });

  it("shows no password of an agent URL in its error", async () => {
    poller = new FleetPoller({ connect: () => fakeAgent(() => never), intervalMs: 1_000, timeoutMs: 20, concurrency: 1, log: () => undefined });
    poller.setTargets([{ name: "a", url: "http://ops:s3cret@10.0.0.1:9731", source: "ui" }]);
    await poller.pollOnce();
    expect(poller.node("a")?.lastError).toBe("agent a (http://10.0.0.1:9731): no answer within 20 ms");
  });

  it("says what the socket said when the agent's fetch failed", async () => {
    const refused = new TypeError("fetch failed", { cause: new Error("connect ENOENT /run/a.sock") });
    poller = new FleetPoller({ connect: () => fakeAgent(() => Promise.reject(new Error("fetch failed", { cause: refused }))), intervalMs: 1_000, timeoutMs: 100, concurrency: 1, log: () => undefined });
    poller.setTargets([target("a")]);
    await poller.pollOnce();
    expect(poller.node("a")?.lastError).toBe("agent a (unix:/run/a.sock): fetch failed (connect ENOENT /run/a.sock)");
  });

  it("computes each node's findings and writes snapshots, visits and events to its sink", async () => {
    const written: string[] = [];
    const event: AgentEvent = { seq: 1, at: new Date().toISOString(), node: "a", kind: "route", action: "removed", subject: "10.244.1.0/24" };
    poller = new FleetPoller({
      connect: () => fakeAgent(() => Promise.resolve(snapshot), [event]),
      sink: { state: async (n) => void written.push(`snapshot ${n}`), unchanged: async (n) => void written.push(`unchanged ${n}`), seen: async (n, _at, e) => void written.push(`seen ${n} ${e ?? "ok"}`), events: async (n, list) => void written.push(`events ${n} ${list.length}`) },
      intervalMs: 1_000,
      timeoutMs: 100,
      concurrency: 2,
    });
    poller.setTargets([target("a")]);
    await poller.pollOnce();
    await poller.settled();
    expect(written).toEqual(["events a 1", "seen a ok", "snapshot a"]);
    expect(poller.node("a")?.events).toEqual([event]);
    expect(Array.isArray(poller.node("a")?.findings)).toBe(true);
  });

  it("drops nodes that leave the target list and reconnects those whose URL changed", () => {
    const connected: string[] = [];
    poller = new FleetPoller({ connect: (t) => (connected.push(t.url), fakeAgent(() => never)), intervalMs: 1_000, timeoutMs: 100, concurrency: 2 });
    poller.setTargets([target("a"), target("b")]);
    poller.setTargets([{ ...target("a"), url: "http://10.0.0.1:9731" }]);
    expect(poller.targets().map((t) => t.url)).toEqual(["http://10.0.0.1:9731"]);
    expect(connected).toEqual(["unix:/run/a.sock", "unix:/run/b.sock", "http://10.0.0.1:9731"]);
  });

  it("asks with the hash it holds and keeps its snapshot when the agent says nothing changed (noting it in the database at most every 30 s)", async () => {
    let clock = 1_000_000;
    const asked: (string | undefined)[] = [];
    const written: string[] = [];
    let reads = 0;
    const agent = fakeAgent(() => Promise.resolve({ ...snapshot, collectedAt: new Date(Date.parse(snapshot.collectedAt) + 1_000 * reads++).toISOString() }));
    poller = new FleetPoller({
      connect: () => ({ ...agent, snapshot: (known) => (asked.push(known), agent.snapshot(known)) }),
      sink: { state: async (n) => void written.push(`snapshot ${n}`), unchanged: async (n, at) => void written.push(`unchanged ${n} ${at.toISOString()}`), seen: async () => undefined, events: async () => undefined },
      intervalMs: 1_000,
      timeoutMs: 100,
      concurrency: 2,
      now: () => clock,
    });
    poller.setTargets([target("a")]);
    await poller.pollOnce();
    await poller.settled();
    const first = poller.node("a")?.snapshot;
    clock += 5_000;
    await poller.pollOnce();
    expect(written).toEqual(["snapshot a"]);
    clock += 30_000;
    await poller.pollOnce();
    expect(asked).toEqual([undefined, snapshotHash(snapshot), snapshotHash(snapshot)]);
    const later = new Date(Date.parse(snapshot.collectedAt) + 2_000).toISOString();
    expect(written).toEqual(["snapshot a", `unchanged a ${later}`]);
    expect(poller.node("a")?.snapshot).toEqual({ ...first, collectedAt: later });
    expect(poller.lastRound()).toMatchObject({ nodes: 1, changed: 0, unchanged: 1, failed: 0 });
  });

  it("counts each round's new, unchanged and failed answers", async () => {
    poller = new FleetPoller({ connect: (t) => fakeAgent(() => (t.name === "down" ? Promise.reject(new Error("connect ECONNREFUSED")) : Promise.resolve(snapshot))), intervalMs: 1_000, timeoutMs: 100, concurrency: 2, log: () => undefined });
    poller.setTargets([target("a"), target("b"), target("down")]);
    await poller.pollOnce();
    expect(poller.lastRound()).toMatchObject({ nodes: 3, changed: 2, unchanged: 0, failed: 1 });
    await poller.pollOnce();
    expect(poller.lastRound()).toMatchObject({ nodes: 3, changed: 0, unchanged: 2, failed: 1 });
  });

  it("hands each agent event to the live streams that follow its node, and to no other", async () => {
    const event: AgentEvent = { seq: 7, at: new Date().toISOString(), node: "a", kind: "link", action: "added", subject: "veth1" };
    const emitters = new Map<string, (e: AgentEvent) => void>();
    poller = new FleetPoller({ connect: (t) => ({ ...fakeAgent(() => Promise.resolve(snapshot)), follow: (onEvent) => (emitters.set(t.name, onEvent), () => undefined) }), intervalMs: 1_000, timeoutMs: 100, concurrency: 2 });
    poller.setTargets([target("a"), target("b")]);
    await poller.pollOnce();
    const onA: AgentEvent[] = [];
    const onB: AgentEvent[] = [];
    const stopA = poller.liveEvents.subscribe("a", (e) => onA.push(e));
    poller.liveEvents.subscribe("b", (e) => onB.push(e));
    const emit = emitters.get("a");
    emit?.(event);
    stopA();
    emit?.({ ...event, seq: 8 });
    expect(onA).toEqual([event]);
    expect(onB).toHaveLength(0);
    expect(poller.liveEvents.followers("a")).toBe(0);
  });
  it("polls a node soon after its agent reports a change, once per burst, not at the next round", async () => {
    let emit: ((event: AgentEvent) => void) | undefined;
    let reads = 0;
    let current: NodeSnapshot = snapshot;
    const agent = fakeAgent(async () => (reads++, current));
    poller = new FleetPoller({ connect: () => ({ ...agent, follow: (onEvent) => ((emit = onEvent), () => undefined) }), intervalMs: 60_000, timeoutMs: 1_000, concurrency: 2 });
    poller.setTargets([target("n1")]);
    poller.start();
    await vi.waitFor(() => expect(poller?.node("n1")?.snapshot).toBeDefined());
    expect(reads).toBe(1);
    current = { ...snapshot, warnings: ["a pod came up"] };
    const event: AgentEvent = { seq: 1, at: new Date().toISOString(), node: "n1", kind: "link", action: "added", subject: "veth9" };
    for (let i = 0; i < 3; i++) emit?.(event);
    await vi.waitFor(() => expect(poller?.node("n1")?.snapshot?.warnings).toEqual(["a pod came up"]));
    await new Promise((r) => setTimeout(r, 400));
    expect(reads).toBe(2);
  });
  it("keeps what is built from the snapshots until one of them changes: an unchanged answer keeps it, a new snapshot or node does not", async () => {
    let current: NodeSnapshot = snapshot;
    poller = new FleetPoller({ connect: () => fakeAgent(async () => current), intervalMs: 60_000, timeoutMs: 1_000, concurrency: 2 });
    poller.setTargets([target("n1")]);
    let builds = 0;
    const page = () => memoOnContent(poller as FleetPoller, "docker:", () => ++builds);
    await poller.pollOnce();
    expect([page(), page()]).toEqual([1, 1]);
    await poller.pollOnce(); // the agent answers "unchanged"
    expect(page()).toBe(1);
    current = { ...snapshot, warnings: ["changed"] };
    await poller.pollOnce();
    expect(page()).toBe(2);
    poller.setTargets([target("n1"), target("n2")]);
    expect(page()).toBe(3);
  });

  it("counts the nodes whose newest state is not in the history yet, until it is written", async () => {
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    poller = new FleetPoller({
      connect: () => fakeAgent(() => Promise.resolve(snapshot)),
      sink: { state: (n) => (n === "slow" ? held : Promise.resolve()), unchanged: async () => undefined, seen: async () => undefined, events: async () => undefined },
      intervalMs: 1_000,
      timeoutMs: 100,
      concurrency: 2,
    });
    poller.setTargets([target("slow"), target("quick")]);
    await poller.pollOnce();
    // Whole snapshots take turns: "quick" waits while "slow" is written.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const during = poller.historyBacklog();
    release();
    expect(during).toBe(2);
    await poller.settled();
    expect(poller.historyBacklog()).toBe(0);
  });

  it("follows a streaming agent without polling it: states from its deltas, each written with its delta, and its failure shown at once", async () => {
    let send: ((m: SnapshotStreamMessage) => void) | undefined;
    let fail: ((e: Error) => void) | undefined;
    let polls = 0;
    const written: { hash: string; delta: boolean }[] = [];
    poller = new FleetPoller({
      connect: () => ({ ...fakeAgent(async () => (polls++, snapshot)), stream: (_from, onMessage, onError) => ((send = onMessage), (fail = onError), () => undefined) }),
      sink: { state: async (_n, s) => void written.push({ hash: s.hash, delta: !!s.delta }), unchanged: async () => undefined, seen: async () => undefined, events: async () => undefined },
      ...followingStreams(2),
    });
    poller.setTargets([target("s1")]);
    poller.start();
    send?.(whole);
    // A whole snapshot is written in its turn; a delta that came before it would be written in its place.
    await poller.settled();
    const changed = { ...snapshot, warnings: ["a pod came up"] };
    send?.({ type: "delta", epoch: EPOCH, from: 1, version: 2, hash: snapshotHash(changed), delta: snapshotDelta(snapshot, changed) });
    expect(poller.node("s1")?.snapshot?.warnings).toEqual(["a pod came up"]);
    await poller.pollOnce();
    await poller.settled();
    expect(polls).toBe(0);
    expect(written).toEqual([
      { hash: snapshotHash(snapshot), delta: false },
      { hash: snapshotHash(changed), delta: true },
    ]);
    // Judged by the agent's heartbeat (5 s until it says otherwise), not the 60 s poll interval nor a shorter one.
    expect(poller.node("s1")?.heardEveryMs).toBe(5_000);
    fail?.(new Error("connect ECONNREFUSED"));
    expect(poller.node("s1")?.lastError).toMatch(/^agent s1 \(unix:\/run\/s1.sock\): connect ECONNREFUSED; reconnecting in \d+\.\d s$/);
    expect(poller.node("s1")?.snapshot?.warnings).toEqual(["a pod came up"]);
  });

  it("has at most `concurrency` streams waiting for their whole snapshot, opens the next as one arrives, and polls none of them until its stream is down", async () => {
    const opened: string[] = [];
    const streams = new Map<string, { send: (m: SnapshotStreamMessage) => void; fail: (e: Error) => void }>();
    const polled: string[] = [];
    poller = new FleetPoller({
      connect: (t) => ({ ...fakeAgent(async () => (polled.push(t.name), snapshot)), stream: (_from, send, fail) => (opened.push(t.name), streams.set(t.name, { send, fail }), () => undefined) }),
      ...followingStreams(2),
    });
    poller.setTargets(["a", "b", "c", "d"].map(target));
    poller.start();
    expect(opened).toEqual(["a", "b"]);
    streams.get("a")?.send(whole);
    await vi.waitFor(() => expect(opened).toEqual(["a", "b", "c"]));
    await poller.pollOnce();
    expect(polled).toEqual([]);
    streams.get("b")?.fail(new Error("connect ECONNREFUSED"));
    await vi.waitFor(() => expect(opened).toEqual(["a", "b", "c", "d"]));
    // A poll takes a slot too: it runs once the openings ahead of it have their snapshots.
    for (const name of ["c", "d"]) streams.get(name)?.send(whole);
    await poller.pollOnce();
    expect(polled).toEqual(["b"]);
  });

  it("shows each node as its whole snapshot comes, and writes whole snapshots once no stream is opening", async () => {
    const streams = new Map<string, (m: SnapshotStreamMessage) => void>();
    const written: string[] = [];
    poller = new FleetPoller({
      connect: (t) => ({ ...fakeAgent(async () => snapshot), stream: (_from, send) => (streams.set(t.name, send), () => undefined) }),
      sink: { state: async (node) => void written.push(node), unchanged: async () => undefined, seen: async () => undefined, events: async () => undefined },
      ...followingStreams(1),
    });
    poller.setTargets(["a", "b"].map(target));
    poller.start();
    streams.get("a")?.(whole);
    expect(poller.node("a")?.snapshot).toEqual(snapshot);
    await vi.waitFor(() => expect(streams.has("b")).toBe(true));
    await new Promise((r) => setTimeout(r, 50));
    expect(written).toEqual([]);
    streams.get("b")?.(whole);
    await poller.settled();
    expect(written.sort()).toEqual(["a", "b"]);
  });

  it("takes no slot to resume a stream from the state it holds: a fleet reconnecting at once waits for no heartbeats in turn", async () => {
    const opens: { name: string; from: string | undefined; send: (m: SnapshotStreamMessage) => void; fail: (e: Error) => void }[] = [];
    poller = new FleetPoller({
      connect: (t) => ({ ...fakeAgent(async () => snapshot), stream: (from, send, fail) => (opens.push({ name: t.name, from, send, fail }), () => undefined) }),
      ...followingStreams(1),
    });
    poller.setTargets(["a", "b"].map(target));
    poller.start();
    opens[0]?.send(whole);
    await vi.waitFor(() => expect(opens.map((o) => o.name)).toEqual(["a", "b"]));
    opens[1]?.send(whole);
    vi.useFakeTimers();
    try {
      for (const o of [...opens]) o.fail(new Error("socket hang up"));
      await vi.advanceTimersByTimeAsync(1_000);
    } finally {
      vi.useRealTimers();
    }
    // Each retry waits its own jittered delay: the order they reopen in is not fixed.
    expect(opens.slice(2).map((o) => [o.name, o.from]).sort()).toEqual([
      ["a", `${EPOCH}:1`],
      ["b", `${EPOCH}:1`],
    ]);
  });
});
