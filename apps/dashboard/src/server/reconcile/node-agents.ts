import type { NodeState } from "../fleet/node-state";
import { adminTokenOf } from "../fleet/agent-probe";
import type { Runtime } from "../runtime";
import { reconcileAgent, type ReconcileAgent } from "./reconcile-agent";

export type AgentChoice = { ok: true; dashboardNode: string; agent: ReconcileAgent } | { ok: false; dashboardNode: string | null; reason: string };

/** Finds an agent by a fleet spec node's name; returns why not when it cannot be reached for changes. */
export type AgentLookup = (node: string) => AgentChoice;

/** The dashboard node whose name, or whose agent's own node name, is `node`. */
export function dashboardNodeFor(nodes: readonly NodeState[], node: string): NodeState | undefined {
  return nodes.find((s) => s.target.name === node) ?? nodes.find((s) => s.snapshot?.node === node);
}

/**
 * Agents with their admin tokens, from the poller's nodes and the configuration (tokens
 * never leave the server). An apply or a mode change is followed by a look at the node's
 * reconcile status, so what comes next (the next wave's probe partners, the Drift page)
 * sees the new intent and mode rather than the last periodic check's.
 */
export function runtimeAgents(rt: Runtime): AgentLookup {
  return (node) => {
    const state = dashboardNodeFor(rt.poller.nodes(), node);
    if (!state) return { ok: false, dashboardNode: null, reason: `no dashboard node is named "${node}" and no agent reports that node name; add the node on the Fleet page` };
    const token = adminTokenOf(rt.config, state.target);
    if (!token) return { ok: false, dashboardNode: state.target.name, reason: `node "${state.target.name}" has no admin token; add "adminToken" to its entry in NETATLAS_AGENTS` };
    const agent = reconcileAgent(state.target, token, rt.config.agentTimeoutMs);
    const recheck = () => rt.drift.checkNode(state.target.name);
    return {
      ok: true,
      dashboardNode: state.target.name,
      agent: { ...agent, applyPlan: (hash, options) => agent.applyPlan(hash, options).finally(recheck), setMode: (mode) => agent.setMode(mode).finally(recheck) },
    };
  };
}
