import { readFile } from "node:fs/promises";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { bearerToken, TRPC_BASE_PATH, type Scope } from "@netatlas/agent-api";
import type { Logger } from "pino";
import { answerClientError } from "./client-error.js";
import type { ListenAddress } from "./listen-address.js";
import type { AgentMetrics } from "./metrics.js";
import { clearStaleSocket, sameFile, socketAt, type FileIdentity } from "./unix-socket-file.js";

export interface ServerOptions {
  address: ListenAddress;
  tls?: { cert: string; key: string };
  trpc: (req: IncomingMessage, res: ServerResponse) => void;
  /** A bearer token's scope, or null; /metrics over TCP needs one. */
  authenticate: (token: string | undefined) => Scope | null;
  metrics: AgentMetrics;
  log: Logger;
}

export interface AgentServer {
  server: Server;
  address: ListenAddress;
  /** The socket file this server made, for a unix address. */
  socketFile?: FileIdentity;
}

/** The agent's HTTP(S) server: /trpc for the API, /metrics for Prometheus. */
export async function startServer(options: ServerOptions): Promise<AgentServer> {
  const { address, metrics, log } = options;
  const serveMetrics = (req: IncomingMessage, res: ServerResponse) => {
    // On TCP anyone who reaches the port would read the node's counters; a unix socket is guarded by its file mode.
    if (address.kind === "tcp" && !options.authenticate(bearerToken(req.headers.authorization))) {
      res.writeHead(401, { "content-type": "text/plain", "www-authenticate": 'Bearer realm="netatlas-agent"' });
      res.end("/metrics over TCP needs a bearer token (read scope is enough): Authorization: Bearer <token>\n");
      return;
    }
    metrics.registry.metrics().then(
      (body) => {
        res.writeHead(200, { "content-type": metrics.registry.contentType });
        res.end(body);
      },
      (error: unknown) => {
        log.error({ err: error }, "collecting metrics failed");
        res.writeHead(500, { "content-type": "text/plain" });
        res.end("collecting metrics failed; see the agent's log\n");
      },
    );
  };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0] as string;
    if (path.startsWith(`${TRPC_BASE_PATH}/`)) return options.trpc(req, res);
    if (path === "/metrics" && req.method === "GET") return serveMetrics(req, res);
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found: the API is under /trpc, metrics under /metrics\n");
  };
  const server = options.tls
    ? createHttpsServer({ cert: await readFile(options.tls.cert), key: await readFile(options.tls.key) }, handle)
    : createHttpServer(handle);
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    log.debug({ err: error }, "bad client request");
    answerClientError(error, socket);
  });
  if (address.kind === "unix") await clearStaleSocket(address.path);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    if (address.kind === "unix") server.listen(address.path, resolve);
    else server.listen(address.port, address.host, resolve);
  });
  return { server, address, socketFile: address.kind === "unix" ? await socketAt(address.path) : undefined };
}

/** One server per address; when one cannot start, the ones that did are stopped again and its error thrown. */
export async function startServers(addresses: ListenAddress[], options: Omit<ServerOptions, "address">): Promise<AgentServer[]> {
  const started = await Promise.allSettled(addresses.map((address) => startServer({ ...options, address })));
  const failed = started.find((s) => s.status === "rejected");
  if (!failed) return started.map((s) => (s as PromiseFulfilledResult<AgentServer>).value);
  await Promise.all(started.flatMap((s) => (s.status === "fulfilled" ? [stopServer(s.value, options.log)] : [])));
  throw failed.reason;
}

/** Stops accepting, gives open requests (and SSE streams) a moment, then closes the rest. */
export async function stopServer({ server, address, socketFile }: AgentServer, log: Logger, graceMs = 2_000): Promise<void> {
  // Closing a unix server makes libuv unlink its path, by name. If the path holds
  // something else by now, the listener is left to end with the process instead.
  if (address.kind === "unix" && !sameFile(socketFile, await socketAt(address.path))) {
    log.warn({ path: address.path }, "the socket path no longer holds this agent's socket; leaving it as it is");
    server.unref();
    server.closeAllConnections();
    return;
  }
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  await closed;
  clearTimeout(timer);
}
