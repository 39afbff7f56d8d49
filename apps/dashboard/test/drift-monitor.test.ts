import type { ReconcileStatus } from "@netatlas/agent-api";
import type { Op } from "@netatlas/core";
import { beforeAll, describe, expect, it } from "vitest";
import { useMigratedPglite } from "./migrated-pglite";
import type { AgentTarget } from "../src/server/agent-target";
import { DriftMonitor } from "../src/server/reconcile/drift-monitor";
import { driftRows } from "../src/server/reconcile/drift-store";

const op: Op = { op: "replace-route", dst: "10.244.1.0/24", via: "192.168.50.12", dev: "eth0", onlink: false, reason: "pods of the node owning 10.244.1.0/24 are reached via 192.168.50.12" };
const target: AgentTarget = { name: "node1", url: "unix:/nowhere/agent.sock", source: "config" };

/** Drift's "since when" on PGlite, from a stand-in agent whose status the test sets. */
describe("DriftMonitor", () => {
  const database = useMigratedPglite("netatlas-drift-");
  let status: ReconcileStatus | Error = { intent: null, drift: [], mode: "observe", journal: null };
  let now = Date.parse("2026-01-01T10:00:00Z");
  let monitor: DriftMonitor;

  beforeAll(async () => {
    monitor = new DriftMonitor({ db: database().db, targets: () => [target], read: async () => (status instanceof Error ? Promise.reject(status) : status), intervalMs: 1_000, timeoutMs: 500, now: () => now });
  });

  it("keeps the first time a drift was seen while it lasts, and forgets it once the node matches again", async () => {
    status = { intent: null, drift: [op], mode: "observe", journal: null };
    await monitor.checkOnce();
    now += 5_000;
    await monitor.checkOnce();
    expect(await driftRows(database().db)).toEqual([{ node: "node1", firstSeenAt: "2026-01-01T10:00:00.000Z", lastSeenAt: "2026-01-01T10:00:05.000Z", ops: [op] }]);
    // An agent that stops answering keeps its drift row and says why.
    status = new Error("connect ENOENT");
    await monitor.checkOnce();
    expect(monitor.nodes()[0]).toMatchObject({ node: "node1", error: "connect ENOENT", status: { drift: [op] } });
    expect(await driftRows(database().db)).toHaveLength(1);
    status = { intent: null, drift: [], mode: "repair", journal: null };
    await monitor.checkOnce();
    expect(await driftRows(database().db)).toEqual([]);
    expect(monitor.nodes()[0]?.status?.mode).toBe("repair");
    now += 60_000;
    status = { intent: null, drift: [op], mode: "observe", journal: null };
    await monitor.checkOnce();
    expect((await driftRows(database().db))[0]?.firstSeenAt).toBe("2026-01-01T10:01:05.000Z");
  });

  it("asks only the node whose agent told of a change, and a whole fleet at most 16 agents at a time", async () => {
    const fleet = Array.from({ length: 40 }, (_, i): AgentTarget => ({ ...target, name: `n${i}` }));
    const asked: string[] = [];
    let open = 0;
    let most = 0;
    const fleetMonitor = new DriftMonitor({
      db: database().db,
      targets: () => fleet,
      read: async (t) => {
        asked.push(t.name);
        most = Math.max(most, ++open);
        await new Promise((resolve) => setTimeout(resolve, 2));
        open--;
        return { intent: null, drift: [], mode: "observe", journal: null };
      },
      intervalMs: 60_000,
      timeoutMs: 500,
    });
    await fleetMonitor.checkNode("n7");
    await fleetMonitor.checkNode("not-a-node");
    expect(asked).toEqual(["n7"]);
    await fleetMonitor.checkOnce();
    expect(asked).toHaveLength(41);
    expect(most).toBe(16);
  });

  it("asks a node once while its check runs, and a cold start's check of the fleet skips the nodes asked since the start", async () => {
    const fleet = ["c1", "c2", "c3"].map((name): AgentTarget => ({ ...target, name }));
    const asked: string[] = [];
    let answer!: () => void;
    const coldMonitor = new DriftMonitor({
      db: database().db,
      targets: () => fleet,
      read: async (t) => {
        asked.push(t.name);
        if (t.name === "c1") await new Promise<void>((resolve) => (answer = resolve));
        return { intent: null, drift: [], mode: "observe", journal: null };
      },
      intervalMs: 60_000,
      timeoutMs: 500,
      now: () => now,
    });
    const startedAt = now;
    // c1's stream brought its whole snapshot, and a drift event came while it was asked.
    const first = coldMonitor.checkNode("c1");
    const second = coldMonitor.checkNode("c1");
    await coldMonitor.checkNode("c2");
    answer();
    await Promise.all([first, second]);
    expect(asked).toEqual(["c1", "c2"]);
    await coldMonitor.checkOnce({ skipCheckedSince: startedAt });
    expect(asked).toEqual(["c1", "c2", "c3"]);
    // The periodic check asks everyone.
    await coldMonitor.checkOnce();
    expect(asked.slice(3).sort()).toEqual(["c1", "c2", "c3"]);
  });

  it("asks only the nodes this replica leads, and knows the others' from what their leader stored", async () => {
    const fleet = ["a1", "b1"].map((name): AgentTarget => ({ ...target, name }));
    const asked: string[] = [];
    const monitor = (leader: string) =>
      new DriftMonitor({
        db: database().db,
        targets: () => fleet,
        leads: (node) => node.startsWith(leader),
        read: async (t) => (asked.push(t.name), { intent: null, drift: t.name === "a1" ? [op] : [], mode: t.name === "a1" ? "repair" : "observe", journal: null }),
        intervalMs: 60_000,
        timeoutMs: 500,
      });
    const [a, b] = [monitor("a"), monitor("b")];
    await a.checkOnce();
    await b.checkOnce();
    expect(asked).toEqual(["a1", "b1"]);
    expect(b.nodes().map((n) => n.node)).toEqual(["b1"]);
    await b.loadPeers();
    expect(b.nodes().map((n) => [n.node, n.status?.mode, n.status?.drift.length])).toEqual([
      ["a1", "repair", 1],
      ["b1", "observe", 0],
    ]);
  });
});
