export { createAgentRouter, type AgentRouter } from "./root.js";
export { createAgentHttpHandler, TRPC_BASE_PATH } from "./http-handler.js";
export { createAgentClient, agentEndpoint, type AgentClient, type AgentClientOptions } from "./client.js";
export { EventLog } from "./event-log.js";
export { AgentInfo, Health, Scope, SnapshotInput, EventsInput } from "./model.js";
export type { AgentPorts, EventSourcePort, ReconcilePort } from "./ports.js";
export { ApplyInput, ApplyResult, PlanInput, ReconcileStatus, UnknownPlanError, PlanOutdatedError } from "./reconcile-model.js";
export { bearerToken } from "./trpc.js";
export { ProbeInput, ProbeResult, ProbeRefusedError } from "./probe-model.js";
