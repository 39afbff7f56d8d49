import { request } from "node:http";
import { connect, type Socket } from "node:net";

/** Where a server listens: a unix socket or a TCP port on this machine. */
export type HttpTarget = { socketPath: string } | { host: string; port: number };

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Bytes of the body as received (it is kept whole only up to `keepBytes`). */
  bytes: number;
  ms: number;
}

export interface HttpAsk {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  /** Keep at most this much of the body (the rest is counted, not kept). */
  keepBytes?: number;
  /** Answer as soon as the status and headers arrive (an SSE stream never ends). */
  headersOnly?: boolean;
}

/** One HTTP request; the answer's body is counted in full but kept only up to a bound. */
export function httpAsk(target: HttpTarget, ask: HttpAsk): Promise<HttpAnswer> {
  const started = performance.now();
  const keep = ask.keepBytes ?? 1 << 20;
  return new Promise((resolve, reject) => {
    const req = request({ ...target, method: ask.method, path: ask.path, headers: ask.headers, timeout: ask.timeoutMs ?? 20_000 }, (res) => {
      if (ask.headersOnly) {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: "", bytes: 0, ms: performance.now() - started });
        req.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on("data", (chunk: Buffer) => {
        if (bytes < keep) chunks.push(chunk);
        bytes += chunk.length;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8").slice(0, keep), bytes, ms: performance.now() - started }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`${ask.method} ${ask.path.slice(0, 80)}: no answer within ${ask.timeoutMs ?? 20_000} ms`)));
    req.on("error", reject);
    if (ask.body !== undefined) req.write(ask.body);
    req.end();
  });
}

/** Raw bytes to the server: the status line it answers with, or "reset"/"closed" when it answers none. */
export function rawExchange(target: HttpTarget, bytes: Buffer | string, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve) => {
    const socket: Socket = "socketPath" in target ? connect(target.socketPath) : connect(target.port, target.host);
    let received = "";
    const done = (what: string) => {
      socket.destroy();
      resolve(what);
    };
    socket.setTimeout(timeoutMs, () => done(received ? firstLine(received) : "timeout"));
    // Written, not ended: a client that half-closes before the answer is rare, and Node's
    // server (without allowHalfOpen) may then close a connection whose answer is slow.
    socket.on("connect", () => socket.write(bytes));
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("latin1");
      if (received.includes("\r\n")) done(firstLine(received));
    });
    socket.on("error", (error: NodeJS.ErrnoException) => done(received ? firstLine(received) : error.code === "ECONNRESET" || error.code === "EPIPE" ? "reset" : `error ${error.code}`));
    socket.on("close", () => done(received ? firstLine(received) : "closed"));
  });
}

const firstLine = (text: string) => text.split("\r\n")[0] as string;
