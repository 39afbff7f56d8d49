import { rm } from "node:fs/promises";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { readFile } from "node:fs/promises";
import { TRPC_BASE_PATH } from "@netatlas/agent-api";
import type { Logger } from "pino";
import type { ListenAddress } from "./listen-address.js";
import type { AgentMetrics } from "./metrics.js";

export interface ServerOptions {
  address: ListenAddress;
  tls?: { cert: string; key: string };
  trpc: (req: IncomingMessage, res: ServerResponse) => void;
  metrics: AgentMetrics;
  log: Logger;
}

/** The agent's HTTP(S) server: /trpc for the API, /metrics for Prometheus. */
export async function startServer(options: ServerOptions): Promise<Server> {
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0] as string;
    if (path.startsWith(`${TRPC_BASE_PATH}/`)) return options.trpc(req, res);
    if (path === "/metrics" && req.method === "GET") {
      void options.metrics.registry.metrics().then((body) => {
        res.writeHead(200, { "content-type": options.metrics.registry.contentType });
        res.end(body);
      });
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found: the API is under /trpc, metrics under /metrics\n");
  };
  const server = options.tls
    ? createHttpsServer({ cert: await readFile(options.tls.cert), key: await readFile(options.tls.key) }, handle)
    : createHttpServer(handle);
  server.on("clientError", (error, socket) => {
    options.log.debug({ err: error }, "bad client request");
    socket.destroy();
  });
  if (options.address.kind === "unix") await rm(options.address.path, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    if (options.address.kind === "unix") server.listen(options.address.path, resolve);
    else server.listen(options.address.port, options.address.host, resolve);
  });
  return server;
}

/** Stops accepting, gives open requests (and SSE streams) a moment, then closes the rest. */
export async function stopServer(server: Server, address: ListenAddress, graceMs = 2_000): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  await closed;
  clearTimeout(timer);
  if (address.kind === "unix") await rm(address.path, { force: true });
}
