import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { snapshotHash } from "@netatlas/core";
import type { NodeSnapshot } from "@netatlas/core";
import { connectAgent } from "../src/server/fleet/agent-connection";
import { FleetPoller } from "../src/server/fleet/poller";
import { labFleet } from "./lab-fleet";

const [good] = labFleet() as [NodeSnapshot];
const servers: Server[] = [];

/**
 * A fake agent on 127.0.0.1, speaking tRPC's wire format: `snapshotIfChanged` answers
 * `answer`; anything else (the event stream) is 404, and the poller goes on without it.
 */
async function fakeAgent(answer: unknown): Promise<string> {
  const server = createServer((req, res) => {
    if (!req.url?.startsWith("/trpc/snapshotIfChanged")) {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "no such procedure", code: -32004, data: { code: "NOT_FOUND" } } }));
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify([{ result: { data: answer } }]));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("answers from agents, checked where they enter the dashboard", () => {
  let poller: FleetPoller | undefined;
  afterEach(() => poller?.stop());
  afterAll(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

  const pollOnce = async (agents: Record<string, unknown>, maxAnswerBytes = 32 * 1024 * 1024) => {
    const urls = await Promise.all(Object.entries(agents).map(async ([name, answer]) => ({ name, url: await fakeAgent(answer), source: "config" as const })));
    poller = new FleetPoller({ connect: (target) => connectAgent(target, 2_000, maxAnswerBytes, () => undefined), intervalMs: 60_000, timeoutMs: 2_000, concurrency: 2, log: () => undefined });
    poller.setTargets(urls);
    await poller.pollOnce();
    return poller;
  };

  it("marks the node whose agent sent a malformed snapshot with the fields that are wrong, and keeps the others", async () => {
    const p = await pollOnce({
      good: { hash: snapshotHash(good), collectedAt: good.collectedAt, snapshot: good },
      // What a broken agent sent: links that are no list, a route without its fields.
      broken: { hash: "b".repeat(64), collectedAt: good.collectedAt, snapshot: { ...good, links: 5, routes: [{}] } },
    });
    expect(p.node("good")).toMatchObject({ snapshot: good, lastError: undefined });
    expect(p.node("broken")?.snapshot).toBeUndefined();
    expect(p.node("broken")?.lastError).toMatch(/^agent broken \(http:\/\/127\.0\.0\.1:\d+\): its snapshot does not match this dashboard's model: snapshot\.links: .*; snapshot\.routes\.0\.\w+: .* \(and \d+ more\); is the agent a matching netatlas version\?$/);
    expect(p.lastRound()).toMatchObject({ nodes: 2, changed: 1, failed: 1 });
  });

  it("marks a node whose answer is no snapshot answer at all", async () => {
    const p = await pollOnce({ odd: { hash: 7 } });
    expect(p.node("odd")?.lastError).toMatch(/its snapshot does not match this dashboard's model: hash: .*; collectedAt: /);
  });

  it("marks a node whose answer is larger than the bound, without keeping the answer", async () => {
    const huge = { ...good, warnings: ["x".repeat(3 * 1024 * 1024)] };
    const p = await pollOnce({ huge: { hash: snapshotHash(huge), collectedAt: huge.collectedAt, snapshot: huge }, good: { hash: snapshotHash(good), collectedAt: good.collectedAt, snapshot: good } }, 2 * 1024 * 1024);
    expect(p.node("huge")?.snapshot).toBeUndefined();
    expect(p.node("huge")?.lastError).toMatch(/larger than 2097152 bytes/);
    expect(p.node("good")?.snapshot).toEqual(good);
  });
});
