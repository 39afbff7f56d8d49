import { get } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentEvent, NodeSnapshot } from "@netatlas/core";
import { createAgentClient, type AgentClient } from "@netatlas/agent-api";
import { uniquePrefix, waitFor } from "@netatlas/linux/testing";
import { injectFault, readTokens, type FaultKind } from "../src/index.js";
import { buildLab, removeLab, type TestLab } from "./support.js";

/**
 * The kernel's part of a snapshot, entry by entry, in an order of its own. A neighbour's
 * NUD state short of PERMANENT moves without notifications, an INCOMPLETE one comes
 * without one, and so does a device's multicast list ("self" entries of multicast MACs,
 * joined with its IPv6 addresses): the agent's kernelDrift leaves out the same.
 */
function kernelOf(snapshot: NodeSnapshot): Record<string, string[]> {
  const list = (entries: unknown[]) => entries.map((e) => JSON.stringify(e)).sort();
  return {
    namespaces: snapshot.namespaces.map((n) => `${n.id} ${n.names.join(",")}`).sort(),
    links: list(snapshot.links),
    addresses: list(snapshot.addresses),
    routes: list(snapshot.routes),
    neighbors: list(snapshot.neighbors.filter((n) => !n.state.includes("INCOMPLETE")).map(({ state, ...n }) => ({ ...n, permanent: state.includes("PERMANENT") }))),
    fdb: list(snapshot.fdb.filter((e) => !(e.flags.includes("self") && (Number.parseInt(e.mac.slice(0, 2), 16) & 1) === 1))),
  };
}

/** Entries only the live snapshot has ("live ...") and only the full read has ("read ..."). */
function differences(live: Record<string, string[]>, read: Record<string, string[]>): string[] {
  return Object.keys(read).flatMap((kind) => [
    ...(live[kind] ?? []).filter((e) => !read[kind]?.includes(e)).map((e) => `live ${kind} ${e}`),
    ...(read[kind] ?? []).filter((e) => !live[kind]?.includes(e)).map((e) => `read ${kind} ${e}`),
  ]);
}

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

// Needs root. A 3-node VXLAN lab with agents (moved-subnet needs two peers of its target); each fault of `netatlas-lab fault` in turn, and
// after each, on every node, the state the agent kept from notifications against a full read.
describe("each agent's live state equals a fresh full read after every lab fault", { timeout: 60_000 }, () => {
  let lab: TestLab;
  const agents = new Map<string, { client: AgentClient; socket: string; events: AgentEvent[]; stop: () => void }>();

  beforeAll(async () => {
    lab = await buildLab(uniquePrefix("lv"), { nodes: 3, pods: 2, backend: "vxlan", agents: true });
    const tokens = readTokens(lab.state.tokenFile);
    for (const node of lab.state.nodes) {
      const socket = node.agent!.socket;
      const client = createAgentClient({ url: `unix:${socket}`, token: tokens.read, timeoutMs: 30_000 });
      const events: AgentEvent[] = [];
      const sub = client.events.subscribe(undefined, { onData: (e) => events.push(e.data as AgentEvent) });
      agents.set(node.name, { client, socket, events, stop: () => sub.unsubscribe() });
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

  /** The live snapshot against a full read that starts now; taken again only if the kernel changed in between (an event came). */
  const expectLiveEqualsFresh = async (node: string) => {
    const { client, events } = agents.get(node)!;
    for (let attempt = 0; ; attempt++) {
      await settled(events);
      const before = events.length;
      const live = await client.snapshot.query();
      const fresh = await client.snapshot.query({ maxAgeMs: 0 });
      if (events.length !== before && attempt < 3) continue;
      expect(differences(kernelOf(live), kernelOf(fresh)), `${node} after the fault`).toEqual([]);
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
});
