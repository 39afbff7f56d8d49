import { nodeIntent, type Allocation, type DockerAllocation, type FleetSpec, type NodeIntent } from "@netatlas/core";
import type { PlanEntry } from "../../fleet/reconcile-model";
import type { AgentLookup } from "./node-agents";

/** Asks one node's agent for the plan to `intent`; a failure marks the node unreachable instead of failing the rest. */
export async function planNode(node: string, intent: NodeIntent, agents: AgentLookup): Promise<PlanEntry> {
  const choice = agents(node);
  if (!choice.ok) return { node, dashboardNode: choice.dashboardNode, status: "excluded", plan: null, error: choice.reason };
  try {
    return { node, dashboardNode: choice.dashboardNode, status: "planned", plan: await choice.agent.plan(intent), error: null };
  } catch (error) {
    return { node, dashboardNode: choice.dashboardNode, status: "unreachable", plan: null, error: `agent ${choice.dashboardNode}: ${(error as Error).message}` };
  }
}

/** Every spec node's plan against its intent, asked of all agents at once; sorted by node name. */
export async function planFleet(spec: FleetSpec, allocation: Allocation, dockerAllocation: DockerAllocation, agents: AgentLookup): Promise<PlanEntry[]> {
  const names = spec.nodes.map((n) => n.name).sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  return Promise.all(names.map((name) => planNode(name, nodeIntent(spec, allocation, name, dockerAllocation), agents)));
}
