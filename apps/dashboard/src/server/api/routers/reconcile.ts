import { NodeIntent } from "@netatlas/core";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { NodeName } from "../../agent-target";
import { ApplyRefused, startApplyJob } from "../../reconcile/apply-job";
import { driftRows } from "../../reconcile/drift-store";
import { job, recentJobs } from "../../reconcile/job-store";
import { runtimeAgents } from "../../reconcile/node-agents";
import { planFleet, planNode } from "../../reconcile/plan-fleet";
import { latestPlanSet, planSet, savePlanSet } from "../../reconcile/plan-set-store";
import { latestSpec } from "../../reconcile/spec-store";
import { checkScopeOf, crossNodeCheck } from "../../reconcile/wave-check";
import { audit } from "../../store/audit-store";
import type { Runtime } from "../../runtime";
import { adminProcedure, router, signedInProcedure } from "../trpc";
import { rowNumber } from "../row-id";
import { ReconcileMode } from "@netatlas/agent-api";

const Id = z.object({ id: rowNumber("id") }).strict();
const snapshotOf = (rt: Runtime) => (node: string) => rt.poller.nodes().find((s) => s.target.name === node || s.snapshot?.node === node)?.snapshot;

/** Nodes whose agents say they match the intent they keep: good partners for a probe after a one-node apply. */
const inSync = (rt: Runtime) => () => rt.drift.nodes().filter((n) => !n.error && n.status?.intent && n.status.drift.length === 0).map((n) => n.node);

const planSummary = (nodes: { node: string; status: string; plan: { ops: unknown[]; hash: string } | null }[]) => nodes.map((n) => ({ node: n.node, status: n.status, ops: n.plan?.ops.length ?? null, hash: n.plan?.hash ?? null }));

/** Plans, applies in waves, drift and the agents' modes. Looking needs a session; every change needs the admin role and is audited. */
export const reconcileRouter = router({
  latestPlans: signedInProcedure.input(z.object({ kind: z.enum(["spec", "repair"]) }).strict()).query(async ({ ctx, input }) => (await latestPlanSet(ctx.rt.database.db, input.kind)) ?? null),
  plans: signedInProcedure.input(Id).query(async ({ ctx, input }) => {
    const set = await planSet(ctx.rt.database.db, input.id);
    if (!set) throw new TRPCError({ code: "NOT_FOUND", message: `id: there is no plan set ${input.id}` });
    return set;
  }),
  /** Asks every spec node's agent for its plan against the newest spec version (a dry run: nothing changes). */
  plan: adminProcedure.mutation(async ({ ctx }) => {
    const spec = await latestSpec(ctx.rt.database.db);
    if (!spec) throw new TRPCError({ code: "PRECONDITION_FAILED", message: "form: there is no fleet spec yet; save one on the Fleet spec page first" });
    const nodes = await planFleet(spec.spec, spec.allocation, spec.dockerAllocation, runtimeAgents(ctx.rt));
    const set = await savePlanSet(ctx.rt.database.db, { author: ctx.caller.actor, kind: "spec", specVersion: spec.version, nodes });
    await audit(ctx.rt.database.db, { actor: ctx.caller.actor, action: "plan", target: "fleet", detail: { planSet: set.id, specVersion: spec.version, nodes: planSummary(nodes) } });
    return set;
  }),
  /** Plans one node back to the intent its agent keeps (the last one applied): the reviewed way to repair drift. */
  planRepair: adminProcedure.input(z.object({ node: NodeName }).strict()).mutation(async ({ ctx, input }) => {
    const agents = runtimeAgents(ctx.rt);
    const choice = agents(input.node);
    if (!choice.ok) throw new TRPCError({ code: "PRECONDITION_FAILED", message: `node: ${choice.reason}` });
    const status = await choice.agent.status().catch((error: Error) => {
      throw new TRPCError({ code: "BAD_GATEWAY", message: `node: agent ${input.node}: ${error.message}` });
    });
    if (!status.intent) throw new TRPCError({ code: "PRECONDITION_FAILED", message: `node: ${input.node}'s agent keeps no intent yet (nothing was applied there); plan from the fleet spec instead` });
    const entry = await planNode(input.node, NodeIntent.parse(status.intent), agents);
    const set = await savePlanSet(ctx.rt.database.db, { author: ctx.caller.actor, kind: "repair", specVersion: null, nodes: [entry] });
    await audit(ctx.rt.database.db, { actor: ctx.caller.actor, action: "repair-plan", target: input.node, detail: { planSet: set.id, nodes: planSummary([entry]) } });
    return set;
  }),
  /** Starts applying reviewed plans in waves; `confirm` must be true (the page asks the person first). */
  startApply: adminProcedure
    .input(z.object({ planSetId: z.number().int().positive(), nodes: z.array(z.string().min(1).max(253)).max(1000).optional(), confirm: z.literal(true, { message: "confirm the apply first" }), allowDisruptive: z.boolean().default(false) }).strict())
    .mutation(async ({ ctx, input }) => {
      const set = await planSet(ctx.rt.database.db, input.planSetId);
      if (!set) throw new TRPCError({ code: "NOT_FOUND", message: `planSetId: there is no plan set ${input.planSetId}` });
      // The agent only checks that its node did not change: a plan of an older spec would undo the newer one.
      const newest = set.kind === "spec" ? await latestSpec(ctx.rt.database.db) : undefined;
      if (newest && newest.version !== set.specVersion) throw new TRPCError({ code: "CONFLICT", message: `planSetId: plan set ${set.id} is for spec version ${set.specVersion}, but version ${newest.version} was saved since; plan again and review the new plans` });
      const agents = runtimeAgents(ctx.rt);
      // Probe partners may be nodes another replica leads: what it stored of them.
      await ctx.rt.drift.loadPeers();
      // What to probe after each wave (pods, Docker containers) follows the newest spec, also for a repair.
      const scope = checkScopeOf((newest ?? (await latestSpec(ctx.rt.database.db)))?.spec);
      try {
        const { job: started, done } = await startApplyJob(ctx.rt.database.db, set, { nodes: input.nodes, allowDisruptive: input.allowDisruptive }, { author: ctx.caller.actor, replica: ctx.rt.replicaId }, { agents, check: crossNodeCheck(snapshotOf(ctx.rt), agents, inSync(ctx.rt), scope) });
        void done.then((result) => ctx.rt.metrics.applyJobs.inc({ result }));
        return started;
      } catch (error) {
        if (error instanceof ApplyRefused) throw new TRPCError({ code: error.code, message: error.message });
        throw error;
      }
    }),
  job: signedInProcedure.input(Id).query(async ({ ctx, input }) => {
    const found = await job(ctx.rt.database.db, input.id);
    if (!found) throw new TRPCError({ code: "NOT_FOUND", message: `id: there is no apply job ${input.id}` });
    return found;
  }),
  jobs: signedInProcedure.query(({ ctx }) => recentJobs(ctx.rt.database.db)),
  /** Every node's mode, kept intent and drift (what differs, since when). */
  drift: signedInProcedure.query(async ({ ctx }) => {
    const since = new Map((await driftRows(ctx.rt.database.db)).map((r) => [r.node, r]));
    await ctx.rt.drift.loadPeers();
    const known = new Map(ctx.rt.drift.nodes().map((n) => [n.node, n]));
    return ctx.rt.poller
      .targets()
      .map((t) => {
        const k = known.get(t.name);
        const row = since.get(t.name);
        return { node: t.name, checkedAt: k?.checkedAt ?? null, error: k?.error ?? null, mode: k?.status?.mode ?? null, hasIntent: !!k?.status?.intent, ops: k?.status ? k.status.drift : (row?.ops ?? []), firstSeenAt: row?.firstSeenAt ?? null, journal: k?.status?.journal ?? null };
      })
      .sort((a, b) => a.node.localeCompare(b.node, undefined, { numeric: true }));
  }),
  /** observe: report drift; repair: the agent re-applies its kept intent by itself. */
  setMode: adminProcedure.input(z.object({ node: NodeName, mode: ReconcileMode }).strict()).mutation(async ({ ctx, input }) => {
    const choice = runtimeAgents(ctx.rt)(input.node);
    if (!choice.ok) throw new TRPCError({ code: "PRECONDITION_FAILED", message: `node: ${choice.reason}` });
    await choice.agent.setMode(input.mode).catch((error: Error) => {
      throw new TRPCError({ code: "BAD_GATEWAY", message: `node: agent ${input.node}: ${error.message}` });
    });
    await audit(ctx.rt.database.db, { actor: ctx.caller.actor, action: "set-mode", target: input.node, detail: { mode: input.mode } });
    return { ok: true };
  }),
});
