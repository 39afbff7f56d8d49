import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentEvent } from "@netatlas/core";
import { createAgentClient, type AgentClient } from "@netatlas/agent-api";
import { run } from "@netatlas/linux";
import { createCniNode, uniquePrefix, waitFor, type CniNode } from "@netatlas/linux/testing";

const bin = new URL("../bin/netatlas-agent.cjs", import.meta.url).pathname;
// The agent refuses placeholder-like or guessable tokens: these are made as people are told to.
const ADMIN = randomBytes(32).toString("hex");
const READ = randomBytes(32).toString("hex");

/** Collects a subscription's events until told to stop. */
function collect(client: AgentClient, lastEventId?: string) {
  const events: AgentEvent[] = [];
  const sub = client.events.subscribe(lastEventId ? { lastEventId } : undefined, { onData: (e) => events.push(e.data as AgentEvent) });
  return { events, stop: () => sub.unsubscribe() };
}

// Needs root: the agent runs inside a node namespace of a real CNI node (pods joined
// by veth, so they have an nsid there and their notifications reach it), served on a unix socket.
describe("netatlas-agent serve", () => {
  let cni: CniNode;
  let dir: string;
  let agent: ChildProcess;
  let url: string;
  let client: AgentClient;
  const logs: string[] = [];

  beforeAll(async () => {
    cni = await createCniNode(uniquePrefix("naserve"), { pods: 2 });
    dir = await mkdtemp(join(tmpdir(), "netatlas-serve-"));
    await writeFile(join(dir, "tokens"), `# scope token\nadmin ${ADMIN}\nread ${READ}\n`);
    url = `unix:${join(dir, "agent.sock")}`;
    agent = spawn("ip", ["netns", "exec", cni.node, "node", bin, "serve", "--listen", url, "--token-file", join(dir, "tokens"), "--node-name", "node-a", "--resync-ms", "60000", "--state-dir", join(dir, "state")], { stdio: ["ignore", "pipe", "pipe"] });
    agent.stdout?.on("data", (c: Buffer) => logs.push(c.toString()));
    agent.stderr?.on("data", (c: Buffer) => logs.push(c.toString()));
    client = createAgentClient({ url, token: READ });
    await waitFor("the agent to answer", () => client.health.query(), 20_000);
  }, 40_000);

  afterAll(async () => {
    if (agent?.pid) process.kill(agent.pid, "SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    if (agent?.exitCode === null && agent.pid) process.kill(agent.pid, "SIGKILL");
    await cni?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("serves the node's snapshot, one namespace of it, and its findings", async () => {
    const snapshot = await client.snapshot.query();
    // The serving agent adds memory pressure (systeminformation) to the host facts.
    expect(snapshot.info.memoryAvailableBytes).toBeGreaterThan(0);
    expect(snapshot.info.memoryAvailableBytes).toBeLessThanOrEqual(snapshot.info.memoryBytes);
    expect(snapshot.node).toBe("node-a");
    for (const pod of cni.pods) expect(snapshot.namespaces.some((n) => n.names.includes(pod))).toBe(true);
    const one = await client.snapshot.query({ netns: cni.pods[0] });
    expect(one.namespaces).toHaveLength(1);
    expect(one.links.map((l) => l.name).sort()).toEqual(["eth0", "lo"]);
    const findings = await client.findings.query();
    expect(findings.some((f) => f.code === "netns-without-process" && f.message.includes(cni.leaked))).toBe(true);
  });

  it("delivers an event within 1 second of ip route add in a pod namespace", async () => {
    const { events, stop } = collect(client);
    await new Promise((r) => setTimeout(r, 300)); // the SSE stream is open
    const started = Date.now();
    await run(["ip", "-n", cni.pods[0] as string, "route", "add", "10.77.0.0/24", "dev", "eth0"]);
    const event = await waitFor("the route event", () => events.find((e) => e.kind === "route" && e.subject.includes("10.77.0.0/24")), 3_000);
    const latency = Date.now() - started;
    stop();
    expect(event.action).toBe("added");
    expect(event.node).toBe("node-a");
    expect(latency).toBeLessThan(1_000);
  });

  it("resumes after a reconnect from the last seen seq, without gaps or duplicates", async () => {
    const first = collect(client);
    await new Promise((r) => setTimeout(r, 300));
    await run(["ip", "-n", cni.node, "route", "add", "10.78.1.0/24", "dev", "eth0"]);
    const seen = await waitFor("the first event", () => first.events.find((e) => e.subject.includes("10.78.1.0/24")));
    first.stop();
    // Changes while no one listens.
    await run(["ip", "-n", cni.node, "route", "add", "10.78.2.0/24", "dev", "eth0"]);
    await run(["ip", "-n", cni.node, "route", "add", "10.78.3.0/24", "dev", "eth0"]);
    await waitFor("the agent to read them", async () => ((await client.snapshot.query()).routes.some((r) => r.dst === "10.78.3.0/24") ? true : undefined));
    const resumed = collect(client, String(seen.seq));
    await waitFor("the missed events", () => (resumed.events.some((e) => e.subject.includes("10.78.3.0/24")) ? true : undefined));
    resumed.stop();
    const seqs = resumed.events.map((e) => e.seq);
    expect(seqs[0]).toBe(seen.seq + 1);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    expect(resumed.events.some((e) => e.subject.includes("10.78.2.0/24"))).toBe(true);
  });

  it("answers 401 to a missing or wrong token and 403 to a read token on an admin procedure", async () => {
    const noToken = createAgentClient({ url });
    await expect(noToken.info.query()).rejects.toMatchObject({ data: { httpStatus: 401 } });
    await expect(createAgentClient({ url, token: "wrong-token-0123456789abcdef" }).snapshot.query()).rejects.toMatchObject({ data: { httpStatus: 401 } });
    await expect(client.setMode.mutate({ mode: "repair" })).rejects.toMatchObject({ data: { httpStatus: 403 } });
    const admin = createAgentClient({ url, token: ADMIN });
    expect((await admin.setMode.mutate({ mode: "repair" })).mode).toBe("repair");
    // Kept in the state directory by the time the call answers, for a restart to find.
    expect(JSON.parse(await readFile(join(dir, "state", "mode.json"), "utf8"))).toEqual({ mode: "repair" });
    expect((await admin.setMode.mutate({ mode: "observe" })).mode).toBe("observe");
    expect((await noToken.health.query()).status).toBe("ok");
  });

  it("rejects malformed input with the field and reason, and stays up", async () => {
    await expect(client.snapshot.query({ netns: "no-such-ns" })).rejects.toMatchObject({ data: { code: "NOT_FOUND" }, message: expect.stringContaining("netns") });
    // @ts-expect-error: a wrong type on purpose
    await expect(client.snapshot.query({ netns: { a: 1 } })).rejects.toMatchObject({ data: { code: "BAD_REQUEST" }, message: expect.stringContaining("netns") });
    // @ts-expect-error: an unknown field on purpose
    await expect(client.snapshot.query({ bogus: true })).rejects.toMatchObject({ data: { code: "BAD_REQUEST" }, message: expect.stringContaining("bogus") });
    await expect(client.snapshot.query({ netns: "x".repeat(300) })).rejects.toMatchObject({ data: { code: "BAD_REQUEST" } });
    expect((await client.health.query()).status).toBe("ok");
  });

  it("exposes Prometheus metrics", async () => {
    const { fetch, Agent } = await import("undici");
    const res = await fetch("http://localhost/metrics", { dispatcher: new Agent({ connect: { socketPath: url.slice(5) } }) });
    const text = await res.text();
    expect(text).toContain("netatlas_snapshot_duration_seconds_count");
    expect(text).toMatch(/netatlas_events_total\{kind="route"\} \d+/);
  });
});
