import type { IncomingMessage, ServerResponse } from "node:http";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import type { AgentPorts } from "./ports.js";
import { createAgentRouter } from "./root.js";
import { bearerToken } from "./trpc.js";

export const TRPC_BASE_PATH = "/trpc";

/**
 * The agent's tRPC endpoint as a node:http handler for requests under /trpc: the
 * router with the given ports, each request's scope taken from its bearer token.
 */
export function createAgentHttpHandler(ports: AgentPorts): (req: IncomingMessage, res: ServerResponse) => void {
  const handler = createHTTPHandler({
    router: createAgentRouter(),
    basePath: `${TRPC_BASE_PATH}/`,
    createContext: ({ req }) => ({ ports, scope: ports.authenticate(bearerToken(req.headers.authorization)) }),
    // Inputs are bounded by their schemas; this bounds the body before parsing.
    maxBodySize: 1024 * 1024,
  });
  return handler;
}
