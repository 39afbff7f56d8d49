import type { inferRouterOutputs } from "@trpc/server";
import { auditRouter } from "./routers/audit";
import { authRouter } from "./routers/auth";
import { fleetRouter } from "./routers/fleet";
import { historyRouter } from "./routers/history";
import { nodeRouter } from "./routers/node";
import { nodesRouter } from "./routers/nodes";
import { reachabilityRouter } from "./routers/reachability";
import { reconcileRouter } from "./routers/reconcile";
import { specRouter } from "./routers/spec";
import { tokensRouter } from "./routers/tokens";
import { traceRouter } from "./routers/trace";
import { usersRouter } from "./routers/users";
import { router } from "./trpc";

/** The dashboard's API: for its own browser pages, and for the CLI and scripts with an API token. */
export const appRouter = router({
  audit: auditRouter,
  auth: authRouter,
  fleet: fleetRouter,
  node: nodeRouter,
  nodes: nodesRouter,
  history: historyRouter,
  trace: traceRouter,
  spec: specRouter,
  reconcile: reconcileRouter,
  reachability: reachabilityRouter,
  tokens: tokensRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;
export type Outputs = inferRouterOutputs<AppRouter>;
