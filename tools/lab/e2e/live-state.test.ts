import { get } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySnapshotDelta, kernelDifferences, snapshotHash, type AgentEvent, type NodeSnapshot } from "@netatlas/core";
import { createAgentClient, SnapshotStreamMessage, type AgentClient } from "@netatlas/agent-api";
import { uniquePrefix, waitFor } from "@netatlas/linux/testing";
import { injectFault, readTokens, type FaultKind } from "../src/index.js";
import { buildLab, removeLab, type TestLab } from "./support.js";

/** A Prometheus counter from an agent's /metrics on its unix socket (open there, its file mode guarding it). */
function metric(socket: string, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get({ socketPath: socket, path: "/metrics" }, (answer) => {
      let text = "";
      answer.on("data", (chunk: Buffer) => (text += chunk.toString()));
      answer.on("end", () => resolve(Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? NaN)));
    }).on("error", reject);
  });
}

/** A snapshot's content with every list in one order: a state rebuilt from deltas keeps the agent's content, not always its order. */
const canonical = (snapshot: NodeSnapshot) => Object.fromEntries(Object.entries(snapshot).map(([k, v]) => [k, Array.isArray(v) ? v.map((e) => JSON.stringify(e)).sort() : v]));

// Needs root. A 3-node VXLAN lab with agents (moved-subnet needs two peers of its target); each fault of `netatlas-lab fault` in turn, and
// after each, on every node, the state the agent kept from notifications against a full read.
describe("each agent's live state equals a fresh full read after every lab fault", { timeout: 60_000 }, () => {
  let lab: TestLab;
  /** Each agent's snapshot stream as a dashboard holds it: the whole snapshot, then every delta applied. */
  const agents = new Map<string, { client: AgentClient; socket: string; events: AgentEvent[]; streamed: { snapshot?: NodeSnapshot; hash?: string; deltas: number }; stop: () => void }>();

  beforeAll(async () => {
    lab = await buildLab(uniquePrefix("lv"), { nodes: 3, pods: 2, backend: "vxlan", agents: true });
    const tokens = readTokens(lab.state.tokenFile);
    for (const node of lab.state.nodes) {
      const socket = node.agent!.socket;
      const client = createAgentClient({ url: `unix:${socket}`, token: tokens.read, timeoutMs: 30_000 });
      const events: AgentEvent[] = [];
      const sub = client.events.subscribe(undefined, { onData: (e) => events.push(e.data as AgentEvent) });
      const streamed: { snapshot?: NodeSnapshot; hash?: string; deltas: number } = { deltas: 0 };
      const stream = client.snapshotStream.subscribe(undefined, {
        onData: (value) => {
          const message = SnapshotStreamMessage.parse("type" in value ? value : value.data);
          if (message.type === "full") Object.assign(streamed, { snapshot: message.snapshot, hash: message.hash });
          if (message.type === "delta" && streamed.snapshot) Object.assign(streamed, { snapshot: applySnapshotDelta(streamed.snapshot, message.delta), hash: message.hash, deltas: streamed.deltas + 1 });
        },
      });
      agents.set(node.name, { client, socket, events, streamed, stop: () => (sub.unsubscribe(), stream.unsubscribe()) });
    }
  }, 120_000);
  afterAll(async () => {
    for (const a of agents.values()) a.stop();
    await removeLab(lab);
  });

  /** Until the agent has sent no event for half a second. */
  const settled = async (events: AgentEvent[]) => {
    let seen = -1;
    await waitFor("the agent to settle", async () => {
      const now = events.length;
      if (now === seen) return true;
      seen = now;
      await new Promise((resolve) => setTimeout(resolve, 500));
      return events.length === now || undefined;
    }, 30_000);
  };

  /**
   * The live snapshot against a full read that starts now; taken again only if the kernel changed in
   * between (an event came, also just after: the full read can see a change, such as the local route
   * IPv6 adds once an address passed DAD, before the agent has read its notification).
   */
  const expectLiveEqualsFresh = async (node: string) => {
    const { client, events } = agents.get(node)!;
    for (let attempt = 0; ; attempt++) {
      await settled(events);
      const before = events.length;
      const live = await client.snapshot.query();
      const fresh = await client.snapshot.query({ maxAgeMs: 0 });
      await settled(events);
      if (events.length !== before && attempt < 3) continue;
      expect(kernelDifferences(live, fresh), `${node} after the fault`).toEqual([]);
      // What a dashboard rebuilt from the stream's deltas is the agent's state, to the last entry: the state
      // as it is now (the full read may have brought what no notification tells, such as processes or sysctls).
      const { streamed } = agents.get(node)!;
      const now = await waitFor(`${node}'s snapshot stream to reach the live state`, async () => {
        const current = await client.snapshot.query();
        return streamed.hash === snapshotHash(current) ? current : undefined;
      }, 10_000);
      expect(canonical(streamed.snapshot as NodeSnapshot), `${node}'s state from the stream`).toEqual(canonical({ ...now, collectedAt: (streamed.snapshot as NodeSnapshot).collectedAt }));
      return;
    }
  };

  const faults: Array<[FaultKind, string]> = [
    ["delete-route", "node3"],
    ["kill-pause", "node1/node1-pod2"],
    ["wrong-mtu", "node2"],
    ["docker-overlap", "node1"],
    ["leak-netns", "node2"],
    ["dangling-veth", "node1"],
    ["link-down", "node2/node2-pod2"],
    ["stale-fdb", "node1"],
    ["stale-route", "node2"],
    ["wrong-vni", "node2"],
    ["moved-subnet", "node1"],
  ];

  it.each(faults)("%s on %s", async (kind, target) => {
    await injectFault(lab.state, kind, target);
    for (const node of lab.state.nodes) await expectLiveEqualsFresh(node.name);
  });

  it("found nothing the notifications had not told, on any node", async () => {
    for (const [node, { socket }] of agents) expect(await metric(socket, "netatlas_live_drift_entries_total"), node).toBe(0);
  });

  it("streamed the faults as deltas, not as whole snapshots again", () => {
    for (const [node, { streamed }] of agents) expect(streamed.deltas, node).toBeGreaterThan(0);
  });
});
