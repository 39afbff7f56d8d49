import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Agent, fetch } from "undici";
import { kernelDifferences, NodeSnapshot, type AgentEvent } from "@netatlas/core";
import { createAgentClient, type AgentClient } from "@netatlas/agent-api";
import { run } from "@netatlas/linux";
import { createCniNode, uniquePrefix, waitFor, type CniNode } from "@netatlas/linux/testing";

const bin = new URL("../bin/netatlas-agent.cjs", import.meta.url).pathname;
const TOKEN = randomBytes(32).toString("hex");

interface ServingAgent {
  client: AgentClient;
  events: AgentEvent[];
  /** The agent's log lines that tell of drift, for a failure's message. */
  driftLog(): string;
  metric(name: string): Promise<number>;
  stop(): Promise<void>;
}

/** `netatlas-agent serve` in the CNI node's namespace, its events collected from the start; the resync is pushed out of the way. */
async function serveIn(cni: CniNode, dir: string, extra: string[] = []): Promise<ServingAgent> {
  const socket = join(dir, `agent-${randomBytes(4).toString("hex")}.sock`);
  const child: ChildProcess = spawn("ip", ["netns", "exec", cni.node, "node", bin, "serve", "--listen", `unix:${socket}`, "--token-file", join(dir, "tokens"), "--node-name", "node-a", "--resync-ms", "600000", "--state-dir", join(dir, "state"), ...extra], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  for (const stream of [child.stdout, child.stderr]) stream?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const client = createAgentClient({ url: `unix:${socket}`, token: TOKEN, timeoutMs: 30_000 });
  await waitFor("the agent to answer", () => client.health.query(), 20_000);
  const events: AgentEvent[] = [];
  const sub = client.events.subscribe(undefined, { onData: (e) => events.push(e.data as AgentEvent) });
  const dispatcher = new Agent({ connect: { socketPath: socket } });
  return {
    client,
    events,
    driftLog: () => log.split("\n").filter((line) => line.includes("drift")).join("\n"),
    metric: async (name) => {
      const text = await (await fetch("http://agent/metrics", { dispatcher })).text();
      return Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? NaN);
    },
    stop: async () => {
      sub.unsubscribe();
      child.kill("SIGTERM");
      await new Promise((resolve) => setTimeout(resolve, 300));
      if (child.exitCode === null) child.kill("SIGKILL");
      await dispatcher.close();
    },
  };
}

/** Until the agent has sent no event for `quietMs`. */
async function settled(agent: ServingAgent, quietMs = 500): Promise<void> {
  let seen = -1;
  await waitFor("the agent to settle", async () => {
    const now = agent.events.length;
    if (now === seen) return true;
    seen = now;
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    return agent.events.length === now || undefined;
  }, 30_000);
}

/** The live snapshot against a full read that starts now; taken again only if the kernel changed in between (an event came). */
async function expectLiveEqualsFresh(agent: ServingAgent, prefix: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    await settled(agent);
    const before = agent.events.length;
    const live = await agent.client.snapshot.query();
    const fresh = await agent.client.snapshot.query({ maxAgeMs: 0 });
    if (agent.events.length !== before && attempt < 3) continue;
    expect(kernelDifferences(live, fresh, (ns) => ns.names.some((name) => name.startsWith(prefix)))).toEqual([]);
    return;
  }
}

// Needs root: a real CNI node (pods joined by veth, so they have an nsid in the node's
// namespace), the agent inside it on a unix socket; every namespace the test makes has its prefix.
describe("netatlas-agent serve keeps its snapshot from notifications", { timeout: 60_000 }, () => {
  let cni: CniNode;
  let dir: string;
  let agent: ServingAgent;
  const made: string[] = [];

  beforeAll(async () => {
    cni = await createCniNode(uniquePrefix("nalive"), { pods: 3, vxlan: true });
    dir = await mkdtemp(join(tmpdir(), "netatlas-live-"));
    await writeFile(join(dir, "tokens"), `read ${TOKEN}\n`);
    agent = await serveIn(cni, dir, ["--facts-ms", "500"]);
  }, 60_000);

  afterAll(async () => {
    await agent?.stop();
    for (const ns of made) await run(["ip", "netns", "delete", ns]).catch(() => undefined);
    await cni?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("sends the event of a route added in a pod with the route, its namespace and nothing else, and its snapshot has it by then", async () => {
    const pod = cni.pods[0] as string;
    await settled(agent);
    const from = agent.events.length;
    await run(["ip", "-n", pod, "route", "add", "10.71.0.0/24", "via", "10.244.1.1", "dev", "eth0", "metric", "5"]);
    const event = await waitFor("the route event", () => agent.events.slice(from).find((e) => e.kind === "route"), 3_000);
    const snapshot = await agent.client.snapshot.query();
    const podNs = snapshot.namespaces.find((n) => n.names.includes(pod))!;
    expect(event).toMatchObject({ kind: "route", action: "added", netns: podNs.id, subject: `${pod}: 10.71.0.0/24 via 10.244.1.1 dev eth0 metric 5` });
    expect(snapshot.routes).toContainEqual(expect.objectContaining({ netns: podNs.id, dst: "10.71.0.0/24", via: "10.244.1.1", metric: 5 }));
    await settled(agent);
    // Not a read of the pod: only the route's event from its namespace (the node's bridges may still be settling elsewhere).
    expect(agent.events.slice(from).filter((e) => e.netns === podNs.id).map((e) => `${e.kind} ${e.action}`)).toEqual(["route added"]);
  });

  it("takes a firewall rule added on the node (no notification tells of it) at its next facts read, without reading the whole node", async () => {
    const fullReads = await agent.metric("netatlas_snapshot_duration_seconds_count");
    const table = `nafacts${randomBytes(3).toString("hex")}`;
    await run(["ip", "netns", "exec", cni.node, "nft", "add", "table", "ip", table]);
    try {
      await run(["ip", "netns", "exec", cni.node, "nft", "add", "chain", "ip", table, "post", "{ type nat hook postrouting priority 100 ; }"]);
      await run(["ip", "netns", "exec", cni.node, "nft", "add", "rule", "ip", table, "post", "ip", "saddr", "10.99.0.0/24", "masquerade"]);
      const rule = await waitFor("the rule in the live snapshot", async () => (await agent.client.snapshot.query()).nat.find((r) => r.table === table), 5_000);
      expect(rule).toMatchObject({ action: "masquerade", chain: "post" });
      expect(await agent.metric("netatlas_snapshot_duration_seconds_count")).toBe(fullReads);
    } finally {
      await run(["ip", "netns", "exec", cni.node, "nft", "delete", "table", "ip", table]);
    }
  });

  it("equals a fresh full read after a churn of routes, addresses, links, neighbours, FDB entries and namespaces, and counts no drift", async () => {
    const [pod1, pod2, pod3] = cni.pods as [string, string, string];
    const node = (...args: string[]) => run(["ip", "-n", cni.node, ...args]);
    const joined = `${cni.prefix}-joined`;
    const silent = `${cni.prefix}-silent`;
    made.push(joined, silent);
    const steps: string[][] = [
      ["ip", "-n", pod1, "route", "add", "10.72.0.0/24", "dev", "eth0"],
      ["ip", "-n", pod1, "route", "del", "10.71.0.0/24"],
      ["ip", "-n", cni.node, "route", "replace", "10.244.2.0/24", "via", "10.244.2.0", "dev", "flannel.1", "onlink", "metric", "0"],
      ["ip", "-n", cni.node, "route", "add", "blackhole", "10.98.0.0/16", "table", "100"],
      ["ip", "-n", cni.node, "route", "del", "blackhole", "10.99.0.0/16", "table", "100"],
      ["ip", "-n", cni.node, "-6", "route", "add", "2001:db8:98::/64", "via", "2001:db8:77::1", "dev", "eth0"],
      ["ip", "-n", pod2, "addr", "add", "10.73.0.2/24", "dev", "eth0"],
      ["ip", "-n", cni.node, "addr", "add", "2001:db8:77::20/64", "dev", "eth0", "nodad"],
      ["ip", "-n", cni.node, "addr", "add", "192.168.77.20/24", "dev", "eth0"],
      ["ip", "-n", cni.node, "addr", "del", "192.168.77.20/24", "dev", "eth0"],
      ["ip", "-n", cni.node, "link", "add", "br7", "type", "bridge"],
      ["ip", "-n", cni.node, "link", "set", "br7", "mtu", "1400", "up"],
      ["ip", "-n", cni.node, "addr", "add", "10.74.0.1/24", "dev", "br7"],
      ["ip", "-n", cni.node, "link", "set", "br7", "name", "br8"],
      ["ip", "-n", cni.node, "link", "set", "br8", "down"],
      ["ip", "-n", pod3, "link", "set", "eth0", "down"],
      ["ip", "-n", pod3, "link", "set", "eth0", "up"],
      ["ip", "-n", cni.node, "neigh", "add", "10.244.3.0", "lladdr", "0e:00:00:00:03:01", "dev", "flannel.1", "nud", "permanent"],
      ["ip", "-n", cni.node, "neigh", "replace", "10.244.3.0", "lladdr", "0e:00:00:00:03:02", "dev", "flannel.1", "nud", "permanent"],
      ["ip", "-n", cni.node, "neigh", "del", "10.244.2.0", "dev", "flannel.1"],
      ["bridge", "-n", cni.node, "fdb", "append", "00:00:00:00:00:00", "dev", "flannel.1", "dst", "192.168.77.13", "self", "permanent"],
      ["bridge", "-n", cni.node, "fdb", "del", "0e:00:00:00:02:01", "dev", "flannel.1", "dst", "192.168.77.11", "self"],
      ["ip", "netns", "add", joined],
      ["ip", "-n", cni.node, "link", "add", "to-joined", "type", "veth", "peer", "name", "eth0", "netns", joined],
      ["ip", "-n", cni.node, "link", "set", "to-joined", "master", "cni0", "up"],
      ["bridge", "-n", cni.node, "fdb", "add", "02:00:00:00:07:07", "dev", "to-joined", "master", "static"],
      ["ip", "-n", joined, "addr", "add", "10.75.0.2/24", "dev", "eth0"],
      ["ip", "-n", joined, "link", "set", "eth0", "up"],
      ["ip", "-n", joined, "route", "add", "default", "via", "10.75.0.1"],
      ["ip", "netns", "add", silent],
      ["ip", "netns", "delete", cni.leaked],
      ["ip", "netns", "delete", pod3],
    ];
    for (const argv of steps) await run(argv);
    await node("link", "del", "br8");
    await expectLiveEqualsFresh(agent, cni.prefix);
    const live = await agent.client.snapshot.query();
    // Nothing checks a snapshot on its way out: what reads and notifications made must fit the schema as it is.
    expect(NodeSnapshot.parse(live)).toEqual(live);
    expect(live.namespaces.some((n) => n.names.includes(joined)) && live.namespaces.some((n) => n.names.includes(silent))).toBe(true);
    expect(live.namespaces.some((n) => n.names.includes(pod3) || n.names.includes(cni.leaked))).toBe(false);
    expect(await agent.metric("netatlas_live_drift_entries_total"), agent.driftLog()).toBe(0);
    // The changes were applied where they could be, not each a read of the whole node.
    expect(await agent.metric('netatlas_notifications_total{outcome="applied"}')).toBeGreaterThan(10);
  });

  it("reads a namespace with no nsid in the node's (it sends no notifications) when it comes, and again at the next read", async () => {
    const silent = `${cni.prefix}-silent`;
    await run(["ip", "-n", silent, "link", "add", "br1", "type", "bridge"]);
    const full = await agent.client.snapshot.query({ maxAgeMs: 0 });
    const id = full.namespaces.find((n) => n.names.includes(silent))!.id;
    expect(full.links.filter((l) => l.netns === id).map((l) => l.name).sort()).toEqual(["br1", "lo"]);
    expect(await agent.metric("netatlas_live_drift_entries_total"), agent.driftLog()).toBe(0);
  });
});

describe("netatlas-agent serve when the kernel drops notifications (ENOBUFS)", { timeout: 60_000 }, () => {
  let cni: CniNode;
  let dir: string;
  let agent: ServingAgent;

  beforeAll(async () => {
    cni = await createCniNode(uniquePrefix("nanobuf"), { pods: 1 });
    dir = await mkdtemp(join(tmpdir(), "netatlas-enobufs-"));
    await writeFile(join(dir, "tokens"), `read ${TOKEN}\n`);
    // A receive buffer of a few messages, so a burst overflows it.
    agent = await serveIn(cni, dir, ["--netlink-buffer-bytes", "1024"]);
  }, 60_000);

  afterAll(async () => {
    await agent?.stop();
    await cni?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("says so in an event, reads the node again and is right afterwards", async () => {
    const pod = cni.pods[0] as string;
    await settled(agent);
    const from = agent.events.length;
    const routes = Array.from({ length: 2000 }, (_, i) => `route add 10.76.${Math.floor(i / 250)}.${i % 250}/32 dev eth0`);
    await run(["ip", "-n", pod, "-batch", "-"], { input: `${routes.join("\n")}\n` });
    await waitFor("the resync event", () => agent.events.slice(from).find((e) => e.kind === "resync"), 10_000);
    expect(await agent.metric("netatlas_notification_overflows_total")).toBeGreaterThan(0);
    await expectLiveEqualsFresh(agent, cni.prefix);
    const live = await agent.client.snapshot.query();
    expect(live.routes.filter((r) => r.dst.startsWith("10.76.")).length).toBe(2000);
    expect(await agent.metric("netatlas_live_drift_entries_total"), agent.driftLog()).toBe(0);
  });
});
