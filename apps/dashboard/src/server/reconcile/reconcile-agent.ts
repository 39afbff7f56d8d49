import { createAgentClient, type AgentRouter, type ProbeInput } from "@netatlas/agent-api";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { TRPCClientError } from "@trpc/client";
import type { AgentTarget } from "../agent-target";

type AgentInput = inferRouterInputs<AgentRouter>;
type AgentOutput = inferRouterOutputs<AgentRouter>;

/** The write side of one node's agent, as the dashboard uses it, typed from the agent's router; a seam so tests can stand in a fake agent. */
export interface ReconcileAgent {
  plan(intent: AgentInput["plan"]["intent"]): Promise<AgentOutput["plan"]>;
  /** `allowDisruptive`: a person reviewed the plan's disruptive ops (containers cut off) and wants them run. */
  applyPlan(planHash: AgentInput["applyPlan"]["planHash"], options?: Partial<Pick<AgentInput["applyPlan"], "allowDisruptive">>): Promise<AgentOutput["applyPlan"]>;
  status(): Promise<AgentOutput["reconcileStatus"]>;
  setMode(mode: AgentInput["setMode"]["mode"]): Promise<void>;
  /** The probe as the agent's router parses it (defaults filled in), for the time it may take. */
  probe(input: ProbeInput): Promise<AgentOutput["probe"]>;
}

/** The node changed after planning: the agent refused the plan (CONFLICT) or no longer knows it (NOT_FOUND). */
export class StalePlanError extends Error {
  override name = "StalePlanError";
}

/** An agent client with the node's admin token; plan and apply wait for the node, so they get a longer bound. */
export function reconcileAgent(target: AgentTarget, adminToken: string, timeoutMs: number): ReconcileAgent {
  const quick = createAgentClient({ url: target.url, token: adminToken, timeoutMs });
  // A plan reads the node afresh; an apply also runs the ops and reads again to verify.
  const planning = createAgentClient({ url: target.url, token: adminToken, timeoutMs: Math.max(timeoutMs, 15_000) });
  const slow = createAgentClient({ url: target.url, token: adminToken, timeoutMs: Math.max(timeoutMs, 60_000) });
  return {
    plan: (intent) => planning.plan.mutate({ intent }),
    async applyPlan(planHash, options) {
      try {
        return await slow.applyPlan.mutate({ planHash, allowDisruptive: options?.allowDisruptive ?? false });
      } catch (error) {
        const code = error instanceof TRPCClientError ? (error.data as { code?: string } | undefined)?.code : undefined;
        if (code === "CONFLICT" || code === "NOT_FOUND") throw new StalePlanError(`${target.name}: ${(error as Error).message.replace(/^planHash: /, "")}`);
        throw error;
      }
    },
    status: () => quick.reconcileStatus.query(),
    setMode: async (mode) => void (await quick.setMode.mutate({ mode })),
    probe: (input) => createAgentClient({ url: target.url, token: adminToken, timeoutMs: timeoutMs + input.count * input.timeoutMs }).probe.mutate(input),
  };
}
