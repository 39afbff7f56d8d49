import { eventsProcedure } from "./router/events.js";
import { findingsProcedure } from "./router/findings.js";
import { healthProcedure } from "./router/health.js";
import { infoProcedure } from "./router/info.js";
import { setModeProcedure } from "./router/mode.js";
import { probeProcedure } from "./router/probe.js";
import { applyProcedure, planProcedure, reconcileStatusProcedure } from "./router/reconcile.js";
import { snapshotProcedure } from "./router/snapshot.js";
import { snapshotFullProcedure } from "./router/snapshot-full.js";
import { snapshotIfChangedProcedure } from "./router/snapshot-if-changed.js";
import { snapshotStreamProcedure } from "./router/snapshot-stream.js";
import { router } from "./trpc.js";

/** The agent's API. Its type is the contract the dashboard and other tools compile against. */
export function createAgentRouter() {
  return router({
    health: healthProcedure,
    info: infoProcedure,
    snapshot: snapshotProcedure,
    snapshotIfChanged: snapshotIfChangedProcedure,
    snapshotFull: snapshotFullProcedure,
    snapshotStream: snapshotStreamProcedure,
    findings: findingsProcedure,
    events: eventsProcedure,
    setMode: setModeProcedure,
    plan: planProcedure,
    // "apply" is a reserved word in tRPC routers (as are "call" and "then").
    applyPlan: applyProcedure,
    reconcileStatus: reconcileStatusProcedure,
    probe: probeProcedure,
  });
}

export type AgentRouter = ReturnType<typeof createAgentRouter>;
