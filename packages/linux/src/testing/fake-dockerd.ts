import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** One request the fake daemon received; the body is parsed JSON when there was one. */
export interface DockerdCall {
  method: string;
  url: string;
  body: unknown;
}

export interface FakeDockerd {
  socket: string;
  calls: DockerdCall[];
  close(): Promise<void>;
}

/** Answers one call; `undefined` leaves the request hanging (a daemon that does not answer). */
export type DockerdAnswer = (call: DockerdCall) => { status: number; json?: unknown } | undefined;

/**
 * A Docker Engine API stand-in on a unix socket in a temporary directory, for
 * adapter tests of what a real dockerd rarely does on cue; it records every call.
 */
export async function fakeDockerd(answer: DockerdAnswer): Promise<FakeDockerd> {
  const dir = await mkdtemp(join(tmpdir(), "netatlas-dockerd-"));
  const socket = join(dir, "docker.sock");
  const calls: DockerdCall[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const call = { method: req.method ?? "", url: req.url ?? "", body: text ? JSON.parse(text) : undefined };
      calls.push(call);
      const reply = answer(call);
      if (!reply) return;
      if (reply.json === undefined) return res.writeHead(reply.status).end();
      res.writeHead(reply.status, { "content-type": "application/json" }).end(JSON.stringify(reply.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return {
    socket,
    calls,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
