import { createAgentClient, type ProbeInput, type ProbeResult } from "@netatlas/agent-api";
import type { AgentTarget } from "../agent-target";
import type { DashboardConfig } from "../config";

/** The node's admin token: from its configured agent entry, or for discovered agents NETATLAS_AGENT_ADMIN_TOKEN. */
export function adminTokenOf(config: DashboardConfig, target: AgentTarget): string | undefined {
  return config.adminTokens[target.name] ?? (target.source === "kubernetes" ? config.kubernetes?.adminToken : undefined);
}

/** Asks the node's own agent to send a real probe (the only use of an admin token); bounded by the probe's own time plus `timeoutMs`. */
export function probeFrom(target: AgentTarget, adminToken: string, input: ProbeInput, timeoutMs: number): Promise<ProbeResult> {
  const client = createAgentClient({ url: target.url, token: adminToken, timeoutMs: timeoutMs + input.count * input.timeoutMs });
  return client.probe.mutate(input);
}
