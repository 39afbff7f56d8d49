import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ProbeInput } from "@netatlas/agent-api";
import type { NodeSnapshot } from "@netatlas/core";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../src/server/api/root";
import type { Role } from "../src/server/auth/role";
import { createSession } from "../src/server/auth/sessions";
import { loadConfig } from "../src/server/config";
import { startRuntime, type Runtime } from "../src/server/runtime";
import { bootstrapCaller, callContext } from "./callers";
import { fieldErrors } from "./field-errors";
import { ADMIN_TOKEN, fakeAgent, probeAnswer, READ_TOKEN, type FakeAgent } from "./fake-agent";
import { labFleet } from "./lab-fleet";

const hostOf = (s: NodeSnapshot) => s.namespaces.find((n) => n.kind === "host")!.id;
/** node1 without its route to node2's pods, as `netatlas-lab fault delete-route` leaves it. */
const withoutRouteToNode2 = (s: NodeSnapshot): NodeSnapshot => ({ ...s, routes: s.routes.filter((r) => !(r.netns === hostOf(s) && r.dst === "10.244.1.0/24")) });

/** The Reachability page's and the CLI's API on a real runtime (PGlite) over two agents with the recorded lab's snapshots. */
describe("reachability API", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "netatlas-dash-reach-"));
  const [node1, node2] = labFleet() as [NodeSnapshot, NodeSnapshot];
  let rt: Runtime;
  let agents: FakeAgent[] = [];
  const tokens: Partial<Record<Role, string>> = {};
  const caller = (role: Role) => appRouter.createCaller(callContext(rt, bootstrapCaller(role, tokens[role])));
  /** Polls once more and waits until the poller holds what the agents have now. */
  const pollNow = async () => {
    const held = () => rt.poller.nodes().map((n) => n.snapshot?.routes.length);
    const wanted = JSON.stringify(agents.map((a) => a.snapshot.routes.length));
    for (let tries = 0; JSON.stringify(held()) !== wanted; tries++) {
      if (tries === 50) throw new Error(`the poller holds ${JSON.stringify(held())} routes per node, not ${wanted}; did the fake agents answer?`);
      await rt.poller.pollOnce();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    agents = await Promise.all([fakeAgent(node1), fakeAgent(node2)]);
    const config = loadConfig({
      NETATLAS_DATA_DIR: dataDir,
      NETATLAS_ADMIN_PASSWORD: "reach-admin-password",
      NETATLAS_POLL_INTERVAL_MS: "3600000",
      NETATLAS_AGENTS: JSON.stringify([
        { name: "node1", url: agents[0]!.url, token: READ_TOKEN, adminToken: ADMIN_TOKEN },
        { name: "node2", url: agents[1]!.url, token: READ_TOKEN },
      ]),
    });
    rt = await startRuntime(config, { migrationsDir: fileURLToPath(new URL("../drizzle", import.meta.url)) });
    tokens.admin = (await createSession(rt.database.db, { user: "admin", role: "admin" })).token;
    tokens.viewer = (await createSession(rt.database.db, { user: "viewer", role: "viewer" })).token;
    await pollNow();
  }, 30_000);

  afterAll(async () => {
    await rt?.stop();
    await Promise.all(agents.map((a) => a.close()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers the matrix the CLI reads: every ordered pair delivered, with its endpoints", async () => {
    const matrix = await caller("viewer").fleet.reachability();
    expect(matrix.nodes).toEqual(["node1", "node2"]);
    expect(matrix.cells.map((c) => `${c.from}->${c.to} ${c.state} ${c.verdict}`)).toEqual(["node1->node2 delivered delivered", "node2->node1 delivered delivered"]);
    expect(matrix.cells[0]).toMatchObject({ message: expect.stringContaining("reaches default/node2-pod1 on node2"), source: { name: "default/node1-pod1", ip: "10.244.0.2" }, destination: { ip: "10.244.1.2" } });
    expect(matrix.summary).toMatchObject({ pairs: 2, delivered: 2, failed: 0 });
    expect(await caller("viewer").reachability.grid()).toMatchObject({ nodes: ["node1", "node2"], rows: ["-d", "d-"], problems: [] });
  });

  it("turns both cells of a deleted route red at the next poll, with the verdict, the gauge and the fleet finding with its fix", async () => {
    agents[0]!.snapshot = withoutRouteToNode2(node1);
    await pollNow();
    const grid = await caller("viewer").reachability.grid();
    expect(grid.rows).toEqual(["-f", "f-"]);
    expect(grid.problems).toEqual([
      { from: 0, to: 1, verdict: "no-route", leg: "forward" },
      { from: 1, to: 0, verdict: "no-route", leg: "reply" },
    ]);
    expect(await caller("viewer").reachability.summary()).toMatchObject({ pairs: 2, failed: 2 });
    expect(await rt.metrics.registry.getSingleMetricAsString("netatlas_dashboard_reachability_failures")).toMatch(/ 2$/);
    const findings = (await caller("viewer").fleet.findings()).flatMap((g) => g.items);
    expect(findings.filter((f) => f.node === "fleet")).toEqual([expect.objectContaining({ code: "fabric-route-missing", fix: "node1: ip route replace 10.244.1.0/24 via 10.244.1.0 dev netatlas.1 onlink", firstSeenAt: null })]);
    expect((await caller("viewer").fleet.findings({ node: "node1" })).flatMap((g) => g.items).map((f) => f.code)).toContain("fabric-route-missing");
  });

  it("gives one pair whole with its trace between the same endpoints, the deciding hop on the failing way", async () => {
    const { cell, trace } = await caller("viewer").reachability.pair({ from: "node1", to: "node2" });
    expect(cell).toMatchObject({ state: "failed", verdict: "no-route", leg: "forward", message: expect.stringMatching(/^node1 has no route to 10\.244\.1\.0\/24 \(node2's pods\)/) });
    expect(trace?.source).toMatchObject({ node: "node1", netns: cell.source?.netns, ip: "10.244.0.2" });
    expect(trace?.destination).toMatchObject({ ip: "10.244.1.2", protocol: "icmp" });
    expect(trace?.forward.verdict).toMatchObject({ kind: "no-route", hop: expect.any(Number) });
    expect(trace?.forward.hops[trace.forward.verdict.hop!]).toEqual(cell.hop);
    await expect(caller("viewer").reachability.pair({ from: "node1", to: "node9" })).rejects.toThrow('pair: "node9" is not a node of the matrix (it has 2 nodes with a snapshot)');
    await expect(caller("viewer").reachability.pair({ from: "node1", to: "node1" })).rejects.toThrow("pair: a node has no cell to itself");
  });

  it("shows each node's share of the fabric with what it was inferred from", async () => {
    const fabric = await caller("viewer").reachability.fabric();
    expect(fabric.backend).toBe("vxlan");
    expect(fabric.nodes.find((n) => n.node === "node2")).toMatchObject({
      podSubnets: [{ cidr: "10.244.1.0/24", source: "cni-cache", evidence: expect.stringContaining("also inferred from cni0 10.244.1.1/24") }],
      tunnels: [{ kind: "vxlan", dev: "netatlas.1", vni: 1, local: "192.168.50.12" }],
      underlay: [{ ip: "192.168.50.12", dev: "eth0" }],
    });
  });

  it("verifies cells with real probes from the source node's agent (admin, audited): a probe that agrees, one that disagrees, and one it cannot send", async () => {
    const sent: ProbeInput[] = [];
    // The route is gone from the snapshot, but the kernel still delivers (a snapshot that does not read what the kernel does).
    agents[0]!.probe = (input) => (sent.push(input), Promise.resolve(probeAnswer("node1", input, 2)));
    const cells = [{ from: "node1", to: "node2" }, { from: "node2", to: "node1" }];
    await expect(caller("viewer").reachability.verify({ cells })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const results = await caller("admin").reachability.verify({ cells });
    expect(sent).toEqual([{ netns: node1.pods.find((p) => p.name === "node1-pod1")!.netns, target: "10.244.1.2", protocol: "icmp", packetSize: 1400, count: 2, timeoutMs: 1_000 }]);
    expect(results).toEqual([
      expect.objectContaining({ from: "node1", to: "node2", state: "failed", probe: { outcome: "replies", replies: 2, attempts: 2 }, agree: false, message: expect.stringMatching(/^state says failed and the probe \(icmp\) got 2 of 2 replies; traffic passes where/) }),
      expect.objectContaining({ from: "node2", to: "node1", probe: { outcome: "refused", reason: expect.stringContaining('node "node2" has no admin token') }, agree: null }),
    ]);
    agents[0]!.probe = (input) => Promise.resolve(probeAnswer("node1", input, 0));
    expect(await caller("admin").reachability.verify({ cells: [cells[0]!] })).toEqual([expect.objectContaining({ probe: { outcome: "no-reply", attempts: 2, error: "no reply within 1000 ms" }, agree: true, message: "state says failed and the probe (icmp) got 0 of 2 replies" })]);
    const audited = await caller("admin").audit.list({ action: "probe" });
    expect(audited.map((e) => [e.actor, e.target, (e.detail as { cells: number }).cells])).toEqual([["admin", "node1", 1], ["admin", "fleet", 2]]);
  });

  it("says which probe an agent refused, and refuses a pair of no node or too many cells before probing", async () => {
    agents[0]!.probe = () => Promise.reject(Object.assign(new Error("10.244.1.2 is outside the fleet's networks"), { name: "ProbeRefusedError", field: "target" }));
    const [refused] = await caller("admin").reachability.verify({ cells: [{ from: "node1", to: "node2" }] });
    expect(refused).toMatchObject({ probe: { outcome: "refused", reason: expect.stringMatching(/^agent node1 could not probe: /) }, agree: null });
    const error = await caller("admin").reachability.verify({ cells: [{ from: "node1", to: "node2" }, { from: "node3", to: "node1" }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).message).toBe('cells.1: "node3" is not a node of the matrix (it has 2 nodes with a snapshot)');
    expect(await fieldErrors(caller("admin").reachability.verify({ cells: Array(401).fill({ from: "node1", to: "node2" }) }))).toEqual({ cells: "at most 400 cells at once: verify a row or a column at a time" });
    expect(await fieldErrors(caller("admin").reachability.verify({ cells: [] }))).toEqual({ cells: "choose at least one cell to verify" });
  });
});
