import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { applySnapshotDelta, NodeSnapshot, snapshotHash, type Route } from "@netatlas/core";
import type { AgentPorts } from "../ports.js";
import { createAgentRouter } from "../root.js";
import { SnapshotVersions } from "../snapshot-versions.js";
import { SnapshotStreamMessage } from "../stream-model.js";

const [recorded] = NodeSnapshot.array().parse(JSON.parse(readFileSync(new URL("../../../core/test/fixtures/fleet-vxlan.json", import.meta.url), "utf8"))) as [NodeSnapshot];

const withRoute = (base: NodeSnapshot, n: number): NodeSnapshot => ({ ...base, collectedAt: new Date(Date.parse(base.collectedAt) + n).toISOString(), routes: [...base.routes, { ...(base.routes[0] as Route), dst: `10.77.${n}.0/24`, via: "10.0.0.7" }] });

/** A node whose state is `node.now`; each stream is read message by message. */
function agentOver(options: { capacity?: number; heartbeatMs?: number } = {}) {
  const node = { now: recorded };
  const versions = new SnapshotVersions({ capacity: options.capacity });
  const ports = { snapshot: () => Promise.resolve(node.now), versions, heartbeatMs: options.heartbeatMs ?? 60_000 } as unknown as AgentPorts;
  const router = createAgentRouter();
  const open = async (lastEventId?: string) => {
    const abort = new AbortController();
    const stream = (await router.createCaller({ ports, scope: "read" }, { signal: abort.signal }).snapshotStream({ lastEventId })) as AsyncIterable<unknown>;
    const iterator = stream[Symbol.asyncIterator]();
    return {
      // A tracked message reaches an in-process caller as [id, message, ...]; a heartbeat as itself.
      next: async () => {
        const { value } = await iterator.next();
        return SnapshotStreamMessage.parse(Array.isArray(value) ? value[1] : value);
      },
      close: () => abort.abort(),
    };
  };
  const change = (n: number) => {
    node.now = withRoute(node.now, n);
    versions.publish(node.now);
  };
  return { node, versions, open, change };
}

describe("the snapshot stream", () => {
  it("sends the whole snapshot first, then each change as a delta that gives the agent's state and hash", async () => {
    const agent = agentOver();
    const stream = await agent.open();
    const first = await stream.next();
    expect(first).toMatchObject({ type: "full", version: 1, hash: snapshotHash(recorded) });
    agent.change(1);
    const second = await stream.next();
    if (first.type !== "full" || second.type !== "delta") throw new Error(`expected full then delta, got ${first.type}, ${second.type}`);
    expect(second).toMatchObject({ from: 1, version: 2, hash: snapshotHash(agent.node.now), epoch: first.epoch });
    expect(second.delta.lists).toEqual({ routes: { put: [agent.node.now.routes.at(-1)], removed: [] } });
    const held = applySnapshotDelta(first.snapshot, second.delta);
    expect(held.routes).toEqual(agent.node.now.routes);
    expect(snapshotHash(held)).toBe(second.hash);
    stream.close();
  });

  it("resumes a client that says what it holds with only the deltas it missed; another run's position gets the whole snapshot", async () => {
    const agent = agentOver();
    const stream = await agent.open();
    const first = await stream.next();
    stream.close();
    agent.change(1);
    agent.change(2);
    const resumed = await agent.open(`${first.epoch}:1`);
    expect([await resumed.next(), await resumed.next()].map((m) => [m.type, m.version])).toEqual([["delta", 2], ["delta", 3]]);
    resumed.close();
    const stranger = await agent.open(`0123456789abcdef:1`);
    expect(await stranger.next()).toMatchObject({ type: "full", version: 3 });
    stranger.close();
  });

  it("sends the whole snapshot when the deltas after the client's version are no longer kept", async () => {
    const agent = agentOver({ capacity: 2 });
    const stream = await agent.open();
    const first = await stream.next();
    stream.close();
    for (let n = 1; n <= 4; n++) agent.change(n);
    const late = await agent.open(`${first.epoch}:1`);
    expect(await late.next()).toMatchObject({ type: "full", version: 5 });
    late.close();
    expect(agent.versions.since(first.epoch, 3)?.map((m) => m.version)).toEqual([4, 5]);
  });

  it("says it is alive when the node is quiet, and a change made without a notification comes as a delta at that moment", async () => {
    const agent = agentOver({ heartbeatMs: 30 });
    const stream = await agent.open();
    await stream.next();
    expect(await stream.next()).toMatchObject({ type: "heartbeat", version: 1, intervalMs: 30 });
    // Changed where no one published it: the heartbeat's read finds it.
    agent.node.now = withRoute(agent.node.now, 9);
    expect(await stream.next()).toMatchObject({ type: "delta", version: 2 });
    stream.close();
  });

  it("refuses a position that is not one it sent, naming the field", async () => {
    const agent = agentOver();
    await expect(agent.open("12:zz")).rejects.toThrow(/lastEventId is <epoch>:<version>/);
  });
});
