import type { ApplyResult } from "@netatlas/agent-api";
import type { FleetSpec, NodeSnapshot, Plan } from "@netatlas/core";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { useMigratedPglite } from "./migrated-pglite";
import type { PlanEntry } from "../src/fleet/reconcile-model";
import { ApplyRefused, startApplyJob } from "../src/server/reconcile/apply-job";
import { createJob, job, recentJobs, stopOrphanedJobs, updateJob, type ApplyJob } from "../src/server/reconcile/job-store";
import { heartbeat } from "../src/server/replicas/replica-store";
import { checkScopeOf, crossNodeCheck } from "../src/server/reconcile/wave-check";
import type { AgentLookup } from "../src/server/reconcile/node-agents";
import type { PlanSet } from "../src/server/reconcile/plan-set-store";
import type { ReconcileAgent } from "../src/server/reconcile/reconcile-agent";
import { auditEntries } from "../src/server/store/audit-store";

const planned = (node: string): PlanEntry => ({ node, dashboardNode: node, status: "planned", plan: { node, ops: [], hash: node.padEnd(64, "a"), conflicts: [] } as Plan, error: null });
const noProgress = { nodes: [], checks: [] };
const set: PlanSet = { id: 1, createdAt: "2026-01-01T00:00:00.000Z", author: "admin", kind: "spec", specVersion: 1, nodes: [planned("node1")] };

/** Agents whose applies wait until `release` is called. */
function heldAgents(): { agents: AgentLookup; release: () => void } {
  let release = () => undefined as void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const agent = { applyPlan: async (): Promise<ApplyResult> => (await held, { node: "node1", planHash: "", results: [], remaining: [], conflicts: [] }) } as unknown as ReconcileAgent;
  return { agents: (node) => ({ ok: true, dashboardNode: node, agent }), release };
}

/** Apply jobs on PGlite with stand-in agents: one at a time, and every ending audited. */
describe("startApplyJob", () => {
  const database = useMigratedPglite("netatlas-apply-job-");

  it("starts one job of two requested at the same moment and refuses the other", async () => {
    const { agents, release } = heldAgents();
    const request = () => startApplyJob(database().db, set, { allowDisruptive: false }, { author: "admin", replica: "replica-a" }, { agents, check: async () => [] });
    const outcomes = await Promise.allSettled([request(), request()]);
    const started = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
    const refused = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as Error] : []));
    expect(started).toHaveLength(1);
    expect(refused).toEqual([expect.any(ApplyRefused)]);
    expect(refused[0]?.message).toMatch(/^form: apply job \d+ is still running/);
    release();
    expect(await started[0]?.done).toBe("succeeded");
    expect((await job(database().db, started[0]!.job.id))?.status).toBe("succeeded");
  });

  it("records a job that broke off as failed, in the job and in the audit log", async () => {
    const { agents, release } = heldAgents();
    release();
    const { job: started, done } = await startApplyJob(database().db, set, { allowDisruptive: false }, { author: "admin", replica: "replica-a" }, { agents, check: () => Promise.reject(new Error("no snapshot of node1")) });
    expect(await done).toBe("failed");
    expect(await job(database().db, started.id)).toMatchObject({ status: "failed", message: "the job broke off: no snapshot of node1" });
    const audited = await auditEntries(database().db, { action: "apply-failed" });
    expect(audited.map((e) => [e.target, e.detail])).toEqual([["node1", { job: started.id, message: "the job broke off: no snapshot of node1" }]]);
  });

  it("records in the job which probes were skipped on Docker hosts with no container to probe, and does not call them passed", async () => {
    const probed: unknown[] = [];
    const agent = { applyPlan: async (): Promise<ApplyResult> => ({ node: "", planHash: "", results: [], remaining: [], conflicts: [] }), probe: async (input: unknown) => void probed.push(input) } as unknown as ReconcileAgent;
    const probing: AgentLookup = (node) => ({ ok: true, dashboardNode: node, agent });
    const docker = { nodes: [], docker: { hosts: ["node1", "node2"], range: "172.31.0.0/16", routing: "host-gw", networks: [{ name: "app" }] } } as unknown as FleetSpec;
    const noContainers = { pods: [], containers: [] } as unknown as NodeSnapshot;
    const two: PlanSet = { ...set, nodes: [planned("node1"), planned("node2")] };
    const { job: started, done } = await startApplyJob(database().db, two, { allowDisruptive: false }, { author: "admin", replica: "replica-a" }, { agents: probing, check: crossNodeCheck(() => noContainers, probing, () => [], checkScopeOf(docker)) });
    await done;
    const stored = await job(database().db, started.id);
    expect(probed).toEqual([]);
    expect(stored?.progress.checks.map((c) => [c.from, c.to, c.kind, c.result])).toEqual([["node1", "node2", "container", "skipped"], ["node2", "node1", "container", "skipped"]]);
    expect(stored?.message).toBe("2 node(s) applied in 2 wave(s); nothing was probed across nodes: all 2 probe(s) skipped (node1 -> node2 container: node1 has no running container with an IPv4 address on app to probe from; node2 -> node1 container: node2 has no running container with an IPv4 address on app to probe from)");
  });

  it("refuses a job while another replica's job runs, naming that job", async () => {
    const { agents, release } = heldAgents();
    const first = await startApplyJob(database().db, set, { allowDisruptive: false }, { author: "admin", replica: "replica-b" }, { agents, check: async () => [] });
    await expect(startApplyJob(database().db, set, { allowDisruptive: false }, { author: "admin", replica: "replica-a" }, { agents, check: async () => [] })).rejects.toThrow(`form: apply job ${first.job.id} is still running; wait for it to finish`);
    release();
    expect(await first.done).toBe("succeeded");
  });

  it("holds one running job in the database however many replicas insert one at the same moment", async () => {
    const created = await Promise.all(["a", "b", "c"].map((r) => createJob(database().db, 1, "admin", `replica-${r}`, noProgress)));
    const jobs = created.filter((c): c is ApplyJob => c !== "busy");
    expect(jobs).toHaveLength(1);
    expect(created.filter((c) => c === "busy")).toHaveLength(2);
    await updateJob(database().db, jobs[0]!.id, { progress: noProgress, status: "failed", message: "test" });
  });

  it("stops a running job only when the replica running it has been silent for the ttl", async () => {
    const db = database().db;
    await heartbeat(db, "replica-b");
    const running = (await createJob(db, 1, "admin", "replica-b", noProgress)) as ApplyJob;
    expect(await stopOrphanedJobs(db, "replica-a", 10_000)).toBe(0);
    expect((await job(db, running.id))?.status).toBe("running");
    await db.execute(sql`update dashboard_replicas set seen_at = now() - interval '11 seconds' where id = 'replica-b'`);
    expect(await stopOrphanedJobs(db, "replica-a", 10_000)).toBe(1);
    expect(await job(db, running.id)).toMatchObject({ status: "stopped", message: "the dashboard replica running this apply stopped during it; check the nodes' drift and plan again", finishedAt: expect.any(String) });
  });

  it("never stops the asking replica's own job; PGlite's sole process (ttl 0) stops every other's, also one from before replicas", async () => {
    const db = database().db;
    const own = (await createJob(db, 1, "admin", "replica-a", noProgress)) as ApplyJob;
    expect(await stopOrphanedJobs(db, "replica-a", 0)).toBe(0);
    await updateJob(db, own.id, { progress: noProgress, status: "succeeded" });
    await heartbeat(db, "replica-b");
    const other = (await createJob(db, 1, "admin", "replica-b", noProgress)) as ApplyJob;
    expect(await stopOrphanedJobs(db, "replica-a", 0)).toBe(1);
    await db.execute(sql`insert into apply_jobs (plan_set_id, author, status, progress) values (1, 'admin', 'running', '{}')`);
    expect(await stopOrphanedJobs(db, "replica-a", 10_000)).toBe(1);
    expect((await job(db, other.id))?.status).toBe("stopped");
  });

  // Last: it breaks the audit log of this database.
  it("starts nothing it cannot audit, and leaves no job running that would block the next apply", async () => {
    const { agents, release } = heldAgents();
    release();
    const applied: string[] = [];
    const counting: AgentLookup = (node) => (applied.push(node), agents(node));
    await database().db.execute(sql`ALTER TABLE audit_log RENAME TO audit_log_gone`);
    await expect(startApplyJob(database().db, set, { allowDisruptive: false }, { author: "admin", replica: "replica-a" }, { agents: counting, check: async () => [] })).rejects.toThrow();
    expect(applied).toEqual([]);
    expect((await recentJobs(database().db, 1))[0]).toMatchObject({ status: "failed", message: expect.stringMatching(/^not started: the audit log could not record it/) });
  });
});
