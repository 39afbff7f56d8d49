import { afterEach, describe, expect, it } from "vitest";
import type { SnapshotStreamMessage } from "@netatlas/agent-api";
import type { NodeSnapshot } from "@netatlas/core";
import { agentsOnHttp } from "../../../test/agent-on-http";
import { labFleet } from "../../../test/lab-fleet";
import { connectAgent } from "./agent-connection";
import { StreamUnsupportedError } from "./node-stream";
import { FleetPoller } from "./poller";

const [snapshot] = labFleet() as [NodeSnapshot];
const TOKEN = "agent-connection-test-token";
const agents = agentsOnHttp(TOKEN);
/** An agent over the snapshot; `older`: one from before streams. */
const agentOn = (older: boolean) => agents.start(snapshot, older ? "snapshotStream" : undefined);

/** The first thing the stream gives: a message, or the error it ended with. */
function firstOfStream(url: string): Promise<SnapshotStreamMessage | Error> {
  const connection = connectAgent({ name: snapshot.node, url, token: TOKEN, source: "config" }, 2_000, 32 * 1024 * 1024, () => undefined);
  return new Promise((resolve) => {
    const close = connection.stream(undefined, (message) => (close(), resolve(message)), resolve);
  });
}

let poller: FleetPoller | undefined;
afterEach(async () => {
  await poller?.stop();
  poller = undefined;
  await agents.close();
});

describe("an agent's whole snapshot without an intake thread, over HTTP", () => {
  const connection = (url: string) => connectAgent({ name: snapshot.node, url, token: TOKEN, source: "config" }, 2_000, 32 * 1024 * 1024, () => undefined);

  it("is the stream's first message, checked on the event loop", async () => {
    const whole = await connection(await agentOn(false)).full?.();
    expect(whole).toMatchObject({ type: "full", version: 1, snapshot: { node: snapshot.node } });
    expect(whole?.snapshot.routes).toEqual(snapshot.routes);
  });

  it("is undefined from an agent from before snapshotFull", async () => {
    await expect(connection(await agents.start(snapshot, "snapshotFull")).full?.()).resolves.toBeUndefined();
  });
});

describe("an agent's snapshot stream, over HTTP", () => {
  it("starts with the node's whole snapshot from an agent that streams", async () => {
    const first = await firstOfStream(await agentOn(false));
    expect(first).toMatchObject({ type: "full", snapshot: { node: snapshot.node } });
  });

  it("ends as unsupported, not as a failure to retry, when the agent's router has no snapshotStream", async () => {
    const first = await firstOfStream(await agentOn(true));
    expect(first).toBeInstanceOf(StreamUnsupportedError);
    expect((first as Error).message).toBe(`agent ${snapshot.node} has no snapshot stream (an older netatlas agent); it is polled`);
  });

  it("so the poller follows an older agent by polls: its node comes up with its snapshot", async () => {
    const url = await agentOn(true);
    poller = new FleetPoller({ connect: (target) => connectAgent(target, 2_000, 32 * 1024 * 1024, () => undefined), intervalMs: 60_000, timeoutMs: 2_000, concurrency: 2, log: () => undefined });
    poller.setTargets([{ name: snapshot.node, url, token: TOKEN, source: "config" }]);
    poller.start();
    await expect.poll(() => poller?.node(snapshot.node)?.snapshot?.node, { timeout: 5_000 }).toBe(snapshot.node);
    expect(poller.node(snapshot.node)?.lastError).toBeUndefined();
  });
});
