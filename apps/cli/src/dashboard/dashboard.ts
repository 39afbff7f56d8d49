import { createTRPCClient, getUntypedClient, httpBatchLink, type TRPCClient } from "@trpc/client";
import { Agent, fetch as undiciFetch } from "undici";
import type { AppRouter } from "../../../dashboard/src/server/api/root.js";
import type { Context } from "../config/context-file.js";
import { explainDashboardError } from "./dashboard-error.js";

/** Long enough for a plan (every agent asked) or a verified trace (a probe of a few seconds). */
const TIMEOUT_MS = 60_000;

export type DashboardApi = TRPCClient<AppRouter>;

/** One context's dashboard: the typed API, and a call that turns its failures into errors a person can act on. */
export interface Dashboard {
  context: Context;
  /** Calls the typed API; `path` names the procedure in an error. */
  ask<T>(path: string, call: (api: DashboardApi) => Promise<T>): Promise<T>;
  /**
   * A procedure this version of the dashboard's router does not have (yet): its answer
   * is unknown here, so the caller checks it with a schema.
   */
  askUntyped(path: string, kind: "query" | "mutation", input?: unknown): Promise<unknown>;
}

export function connectDashboard(context: Context, timeoutMs = TIMEOUT_MS): Dashboard {
  // A private CA is trusted for this dashboard only, not for every https connection of the process.
  const dispatcher = context.ca ? new Agent({ connect: { ca: context.ca } }) : undefined;
  const api = createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${context.server}/api/trpc`,
        headers: { authorization: `Bearer ${context.token}` },
        fetch: (input, init) =>
          undiciFetch(input as string, {
            ...(init as object),
            dispatcher,
            signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(init?.signal ? [init.signal as AbortSignal] : [])]),
          }) as unknown as Promise<Response>,
      }),
    ],
  });
  const explained = async <T>(path: string, call: () => Promise<T>) => {
    try {
      return await call();
    } catch (error) {
      throw explainDashboardError(error, { server: context.server, context: context.name, path });
    }
  };
  return {
    context,
    ask: (path, call) => explained(path, () => call(api)),
    askUntyped: (path, kind, input) => explained(path, () => (kind === "query" ? getUntypedClient(api).query(path, input) : getUntypedClient(api).mutation(path, input))),
  };
}
