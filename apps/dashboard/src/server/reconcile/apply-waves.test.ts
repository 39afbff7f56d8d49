import type { ApplyResult } from "@netatlas/agent-api";
import type { Op } from "@netatlas/core";
import { describe, expect, it } from "vitest";
import type { JobProgress, WaveCheck } from "../../fleet/reconcile-model";
import { applyInWaves, waves, type ApplyTarget } from "./apply-waves";
import type { AgentLookup } from "./node-agents";
import { StalePlanError, type ReconcileAgent } from "./reconcile-agent";

const route: Op = { op: "replace-route", dst: "10.244.1.0/24", via: "192.168.50.12", dev: "eth0", onlink: false, reason: "peer" };
const target = (node: string): ApplyTarget => ({ node, planHash: node.padEnd(64, "0").replace(/[^0-9a-f]/g, "a"), ops: 1, allowDisruptive: false });

/** Agents that answer applyPlan as scripted per node, and record the order of calls. */
function fakeAgents(behaviour: Record<string, "ok" | "fail-op" | "stale" | "down" | "remaining">, calls: string[]): AgentLookup {
  return (node) => {
    const agent: Partial<ReconcileAgent> = {
      async applyPlan(planHash): Promise<ApplyResult> {
        calls.push(node);
        const b = behaviour[node] ?? "ok";
        if (b === "stale") throw new StalePlanError(`${node}: the node changed since plan ${planHash.slice(0, 12)}… was made`);
        if (b === "down") throw new Error("connect ECONNREFUSED");
        return { node, planHash, conflicts: [], results: [{ op: route, status: b === "fail-op" ? "failed" : "applied", ...(b === "fail-op" ? { error: "RTNETLINK answers: Network is unreachable" } : {}) }], remaining: b === "remaining" ? [route] : [] };
      },
    };
    return { ok: true, dashboardNode: node, agent: agent as ReconcileAgent };
  };
}

const passing = async (applied: string[], wave: number): Promise<WaveCheck[]> => (applied.length < 2 ? [] : [{ wave, from: applied[0] as string, to: applied[1] as string, kind: "pod", target: "10.244.1.2", result: "passed", detail: "3 of 3 replies" }]);

async function run(nodes: string[], behaviour: Parameters<typeof fakeAgents>[0], check = passing) {
  const calls: string[] = [];
  const snapshots: JobProgress[] = [];
  const outcome = await applyInWaves(nodes.map(target), { agents: fakeAgents(behaviour, calls), check, onProgress: async (p) => void snapshots.push(structuredClone(p)) });
  return { outcome, calls, snapshots };
}

describe("applyInWaves", () => {
  it("applies the first node alone, then the rest, and checks across nodes after each wave", async () => {
    expect(waves(["node3", "node1", "node10", "node2"].map(target)).map((w) => w.map((t) => t.node))).toEqual([["node1"], ["node2", "node3", "node10"]]);
    const checked: string[][] = [];
    const { outcome, calls, snapshots } = await run(["node2", "node1", "node3"], {}, async (applied, wave) => {
      checked.push(applied);
      return passing(applied, wave);
    });
    expect(outcome.status).toBe("succeeded");
    expect(outcome.message).toBe("3 node(s) applied in 2 wave(s); 1 cross-node probe(s) passed");
    expect(calls[0]).toBe("node1");
    expect(checked).toEqual([["node1"], ["node1", "node2", "node3"]]);
    expect(outcome.progress.nodes.map((n) => [n.node, n.wave, n.state])).toEqual([["node1", 1, "applied"], ["node2", 2, "applied"], ["node3", 2, "applied"]]);
    expect(outcome.progress.nodes[0]?.results).toEqual([{ op: route, status: "applied" }]);
    // Progress is live: node1 was seen applying while the others still waited.
    expect(snapshots.some((p) => p.nodes[0]?.state === "applying" && p.nodes[1]?.state === "waiting")).toBe(true);
  });

  it("stops after the first wave when its node fails an op: the rest are never started", async () => {
    const { outcome, calls } = await run(["node1", "node2", "node3"], { node1: "fail-op" });
    expect(outcome.status).toBe("failed");
    expect(calls).toEqual(["node1"]);
    expect(outcome.message).toMatch(/^wave 1 failed on node1 \(ip route replace .*: RTNETLINK answers: Network is unreachable\); later waves were not started$/);
    expect(outcome.progress.nodes.map((n) => n.state)).toEqual(["failed", "not-started", "not-started"]);
  });

  it("counts a node that still differs after the apply, or an agent that does not answer, as failed", async () => {
    expect((await run(["node1", "node2"], { node1: "remaining" })).outcome.message).toMatch(/node1 \(after the apply the node still differs: ip route replace 10.244.1.0\/24/);
    const down = await run(["node1", "node2", "node3"], { node3: "down" });
    expect(down.outcome.status).toBe("failed");
    expect(down.outcome.progress.nodes.map((n) => n.state)).toEqual(["applied", "applied", "failed"]);
    expect(down.outcome.message).toContain("node3 (agent node3: connect ECONNREFUSED)");
  });

  it("refuses a stale plan with a message to plan again", async () => {
    const { outcome } = await run(["node1", "node2"], { node1: "stale" });
    expect(outcome.status).toBe("failed");
    expect(outcome.progress.nodes[0]).toMatchObject({ state: "stale", error: expect.stringMatching(/^node1: the node changed since plan/) });
    expect(outcome.message).toBe("node1 changed since the plan was made; plan again and review the new plan");
  });

  it("stops when the post-apply probe fails, and says which probe", async () => {
    const failing = async (applied: string[], wave: number): Promise<WaveCheck[]> => (applied.length < 2 ? [] : [{ wave, from: "node1", to: "node2", kind: "pod", target: "10.244.1.2", result: "failed", detail: "0 of 3 replies" }]);
    const { outcome, calls } = await run(["node1", "node2", "node3"], {}, failing);
    expect(calls.sort()).toEqual(["node1", "node2", "node3"]);
    expect(outcome.status).toBe("failed");
    expect(outcome.message).toBe("the check after wave 2 failed: node1 -> node2 10.244.1.2: 0 of 3 replies; later waves were not started");
    expect(outcome.progress.checks).toHaveLength(1);
  });

  it("says so when probes were skipped or nothing was probed, instead of counting them as passed", async () => {
    const skipped = (reason: string) => async (applied: string[], wave: number): Promise<WaveCheck[]> => (applied.length < 2 ? [] : [{ wave, from: "node1", to: "node2", kind: "container", target: "-", result: "skipped", detail: reason }]);
    const none = await run(["node1", "node2"], {}, skipped("node2 has no running container with an IPv4 address on labnet to probe to"));
    expect(none.outcome.status).toBe("succeeded");
    expect(none.outcome.message).toBe("2 node(s) applied in 2 wave(s); nothing was probed across nodes: all 1 probe(s) skipped (node1 -> node2 container: node2 has no running container with an IPv4 address on labnet to probe to)");
    const mixed = async (applied: string[], wave: number): Promise<WaveCheck[]> => [...(await passing(applied, wave)), ...(await skipped("node1 has no running container with an IPv4 address on labnet to probe from")(applied, wave))];
    expect((await run(["node1", "node2"], {}, mixed)).outcome.message).toBe("2 node(s) applied in 2 wave(s); 1 cross-node probe(s) passed, 1 skipped (node1 -> node2 container: node1 has no running container with an IPv4 address on labnet to probe from)");
    expect((await run(["node1"], {})).outcome.message).toBe("1 node(s) applied in 1 wave(s); nothing was probed across nodes (no other applied node, and no node in sync with its intent, to probe)");
  });
});
