import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allocate, nodeIntent, type AgentEvent, type FleetSpec, type NodeIntent, type NodeSnapshot } from "@netatlas/core";
import { createAgentClient, type AgentClient } from "@netatlas/agent-api";
import { run } from "@netatlas/linux";
import { uniquePrefix, waitFor } from "@netatlas/linux/testing";
import { defaultAgentBin, inNodeNet, killAgent, labFleetSpec, readTokens, startAgent, waitForAgent, type LabState } from "../src/index.js";
import { buildLab, httpFromPod, removeLab, type TestLab } from "./support.js";

/** The lab's fleet spec with a backend, and the subnets its CNI pods already use. */
function intents(state: LabState, backend: "host-gw" | "vxlan", masquerade = true): Map<string, NodeIntent> {
  const spec: FleetSpec = { ...labFleetSpec(state.nodes.length, backend), masquerade };
  const allocation = allocate(spec, Object.fromEntries(state.nodes.map((n) => [n.name, n.podCidr])));
  return new Map(state.nodes.map((n) => [n.name, nodeIntent(spec, allocation, n.name)]));
}

/**
 * What netatlas must never touch: routes it does not own, NAT rules outside its
 * table, links without its alias. (The kernel's own routes for netatlas's links,
 * such as their fe80::/64, come and go with those links.)
 */
function foreign(snapshot: NodeSnapshot): string[] {
  const host = snapshot.namespaces.find((n) => n.kind === "host")?.id;
  const owned = new Set(snapshot.links.filter((l) => l.netns === host && l.alias === "netatlas").map((l) => l.name));
  return [
    // IPv6 link-local routes are the kernel's, made when a link first goes up: not anyone's to keep.
    ...snapshot.routes.filter((r) => r.netns === host && r.protocol !== "157" && !owned.has(r.dev ?? "") && !r.dst.startsWith("fe80:")).map((r) => `route ${r.table} ${r.dst} ${r.via ?? ""} ${r.dev ?? ""} ${r.protocol}`),
    ...snapshot.nat.filter((r) => r.netns === host && r.table !== "netatlas").map((r) => `nat ${r.table} ${r.chain} ${r.text}`),
    ...snapshot.links.filter((l) => l.netns === host && l.alias !== "netatlas" && l.kind !== "veth").map((l) => `link ${l.name} ${l.mtu}`),
  ].sort();
}

// Needs root. A lab with no cross-node routes: netatlas's agents build the fabric.
describe("reconciling a lab's pod fabric through the agents", { timeout: 30_000 }, () => {
  let lab: TestLab;
  const admin = new Map<string, AgentClient>();
  const before = new Map<string, string[]>();

  const connect = (socket: string) => createAgentClient({ url: `unix:${socket}`, token: readTokens(lab.state.tokenFile).admin });
  async function applyEverywhere(wanted: Map<string, NodeIntent>): Promise<void> {
    for (const [name, intent] of wanted) {
      const client = admin.get(name)!;
      const plan = await client.plan.mutate({ intent });
      expect(plan.ops.length).toBeGreaterThan(0);
      const result = await client.applyPlan.mutate({ planHash: plan.hash });
      expect(result.results.filter((r) => r.status !== "applied")).toEqual([]);
      expect(result.remaining).toEqual([]);
    }
  }

  beforeAll(async () => {
    lab = await buildLab(uniquePrefix("lr"), { nodes: 3, pods: 1, backend: "none", agents: true });
    for (const node of lab.state.nodes) {
      admin.set(node.name, connect(node.agent!.socket));
      before.set(node.name, foreign(await admin.get(node.name)!.snapshot.query()));
    }
  }, 90_000);
  afterAll(() => removeLab(lab));

  const pod = (node: string) => lab.state.nodes.find((n) => n.name === node)!.pods[0]!;

  it("has no way across nodes before anything is applied", async () => {
    await expect(httpFromPod(lab.state, "node1-pod1", `http://${pod("node3").ip}:8080/`, 2_000)).rejects.toThrow();
  });

  it("applies host-gw on every node: pods reach each other across nodes", async () => {
    await applyEverywhere(intents(lab.state, "host-gw"));
    expect(await httpFromPod(lab.state, "node1-pod1", `http://${pod("node3").ip}:8080/`)).toContain("node3-pod1");
    expect(await httpFromPod(lab.state, "node3-pod1", `http://${pod("node2").ip}:8080/`)).toContain("node2-pod1");
  });

  it("switches to vxlan: traffic still crosses, the host-gw routes are gone, and a second plan is empty", async () => {
    const wanted = intents(lab.state, "vxlan");
    await applyEverywhere(wanted);
    expect(await httpFromPod(lab.state, "node2-pod1", `http://${pod("node1").ip}:8080/`)).toContain("node1-pod1");
    const node1 = lab.state.nodes.find((n) => n.name === "node1")!;
    const routes = JSON.parse((await run(inNodeNet(node1.pid!, ["ip", "-j", "route", "show", "proto", "157"]))).stdout) as Array<{ dev: string; gateway: string }>;
    expect(routes.map((r) => r.dev)).toEqual(["netatlas.1", "netatlas.1"]);
    expect(routes.some((r) => r.gateway.startsWith("192.168.50."))).toBe(false);
    for (const [name, intent] of wanted) expect((await admin.get(name)!.plan.mutate({ intent })).ops).toEqual([]);
  });

  it("leaves every foreign route, NAT rule and link as it was", async () => {
    for (const node of lab.state.nodes) expect(foreign(await admin.get(node.name)!.snapshot.query())).toEqual(before.get(node.name));
  });

  it("reports a hand-deleted route as drift, and puts it back in repair mode", async () => {
    const node2 = lab.state.nodes.find((n) => n.name === "node2")!;
    const client = admin.get("node2")!;
    const events: Array<AgentEvent & { receivedAt: number }> = [];
    const sub = client.events.subscribe(undefined, { onData: (e) => events.push({ ...(e.data as AgentEvent), receivedAt: Date.now() }) });
    try {
      await new Promise((r) => setTimeout(r, 300));
      const deletedAt = Date.now();
      await run(inNodeNet(node2.pid!, ["ip", "route", "del", pod("node1").ip!.replace(/\.\d+$/, ".0/24")]));
      const drift = await waitFor("a drift event", () => events.find((e) => e.kind === "drift" && e.action === "changed"), 5_000);
      console.log(`drift event ${drift.receivedAt - deletedAt} ms after the route was deleted`);
      expect(drift.detail).toMatch(/ip route replace 10\.244\.0\.0\/24 via 10\.244\.0\.0 dev netatlas\.1 onlink/);
      const repairFrom = Date.now();
      await client.setMode.mutate({ mode: "repair" });
      await waitFor("the route to come back", async () => ((await client.reconcileStatus.query()).drift.length === 0 ? true : undefined), 5_000);
      console.log(`repaired ${Date.now() - repairFrom} ms after repair mode was switched on`);
      expect(events.some((e) => e.kind === "repair")).toBe(true);
      expect(await httpFromPod(lab.state, "node2-pod1", `http://${pod("node1").ip}:8080/`)).toContain("node1-pod1");
      await client.setMode.mutate({ mode: "observe" });
    } finally {
      sub.unsubscribe();
    }
  });

  it("finishes an apply that a crash cut off between two batches, when the agent starts again", async () => {
    const node3 = lab.state.nodes.find((n) => n.name === "node3")!;
    const stateDir = join(lab.runDir, "node3", "state");
    // Back to host-gw without masquerade: ip ops, then an nft op: two batches.
    const intent = intents(lab.state, "host-gw", false).get("node3")!;
    await killAgent(node3.agent!.pid);
    const launch = { nodeName: "node3", nodePid: node3.pid!, agentBin: defaultAgentBin, socket: join(lab.runDir, "node3", "hooked.sock"), tokenFile: lab.state.tokenFile, log: join(lab.runDir, "node3", "hooked.log") };
    const hookedPid = startAgent(launch, { ...process.env, NETATLAS_TEST_PAUSE_AFTER_BATCH: "1" });
    await waitForAgent({ ...launch, pid: hookedPid });
    const hooked = connect(launch.socket);
    const plan = await hooked.plan.mutate({ intent });
    expect(plan.ops.map((op) => op.op)).toContain("del-masquerade");
    const applying = hooked.applyPlan.mutate({ planHash: plan.hash }).catch((error: Error) => error);
    const journal = await waitFor("the journal to record the first batch", () => {
      const file = join(stateDir, "journal.json");
      const j = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { opsDone: number; ops: unknown[] }) : undefined;
      return j && j.opsDone > 0 ? j : undefined;
    });
    expect(journal.opsDone).toBeLessThan(journal.ops.length);
    await killAgent(hookedPid);
    expect(await applying).toBeInstanceOf(Error);

    const restartedPid = startAgent({ ...launch, socket: join(lab.runDir, "node3", "restarted.sock"), log: join(lab.runDir, "node3", "restarted.log") });
    await waitForAgent({ socket: join(lab.runDir, "node3", "restarted.sock"), log: join(lab.runDir, "node3", "restarted.log"), pid: restartedPid });
    const restarted = connect(join(lab.runDir, "node3", "restarted.sock"));
    const status = await restarted.reconcileStatus.query();
    expect(status.journal).toBeNull();
    expect(status.intent).toEqual(intent);
    expect((await restarted.plan.mutate({ intent })).ops).toEqual([]);
    const nft = await run(inNodeNet(node3.pid!, ["nft", "list", "table", "ip", "netatlas"]), { okCodes: [0, 1] });
    expect(nft.code).toBe(1);
  });

  it("rejects a bad intent naming the field, and changes nothing", async () => {
    const client = admin.get("node1")!;
    const intent = intents(lab.state, "vxlan").get("node1")!;
    const snapshotBefore = foreign(await client.snapshot.query());
    await expect(client.plan.mutate({ intent: { ...intent, routes: [{ ...intent.routes[0]!, dev: "eth0 up" }] } })).rejects.toMatchObject({ data: { code: "BAD_REQUEST" }, message: expect.stringMatching(/routes.*dev|interface name/s) });
    await expect(client.applyPlan.mutate({ planHash: "0".repeat(64) })).rejects.toMatchObject({ data: { code: "NOT_FOUND" } });
    const read = createAgentClient({ url: `unix:${lab.state.nodes[0]!.agent!.socket}`, token: readTokens(lab.state.tokenFile).read });
    await expect(read.plan.mutate({ intent })).rejects.toMatchObject({ data: { httpStatus: 403 } });
    expect(foreign(await client.snapshot.query())).toEqual(snapshotBefore);
  });
});
