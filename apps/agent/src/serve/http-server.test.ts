import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { Agent, fetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, stopServer, type AgentServer } from "./http-server.js";
import type { ListenAddress } from "./listen-address.js";
import { AgentMetrics } from "./metrics.js";

const READ = "read-token-0123456789abcdef";
const log = pino({ level: "silent" });
const metrics = new AgentMetrics();

const start = (address: ListenAddress) =>
  startServer({ address, trpc: (_req, res) => res.end("trpc"), authenticate: (token) => (token === READ ? "read" : null), metrics, log });

/** Sends `text` over a raw TCP connection and returns all the server answers until it closes. */
function exchange(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, "127.0.0.1", () => socket.write(text));
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", () => undefined); // the server may close while we still write; what it answered counts
    socket.on("close", () => resolve(Buffer.concat(chunks).toString()));
  });
}

/** A unix socket left behind by a process that was killed while it listened. */
async function staleSocket(path: string): Promise<void> {
  const child = spawn(process.execPath, ["-e", `require("node:net").createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, "SIGKILL"))`], { stdio: "ignore" });
  await new Promise((resolve) => child.once("exit", resolve));
  expect((await stat(path)).isSocket()).toBe(true);
}

describe("the agent's HTTP server over TCP", () => {
  let tcp: AgentServer;
  let port: number;

  beforeAll(async () => {
    tcp = await start({ kind: "tcp", host: "127.0.0.1", port: 0 });
    port = (tcp.server.address() as AddressInfo).port;
  });
  afterAll(() => stopServer(tcp, log));

  it("answers malformed HTTP with 400 instead of resetting the connection", async () => {
    expect(await exchange(port, "HELLO THERE\r\n\r\n")).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
  });

  it("answers a request with 100 KB of headers with 431", async () => {
    expect(await exchange(port, `GET /trpc/health HTTP/1.1\r\nHost: agent\r\nX-Padding: ${"a".repeat(100_000)}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
  });

  it("serves /metrics only with a valid bearer token", async () => {
    const without = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(without.status).toBe(401);
    expect(await without.text()).toContain("needs a bearer token");
    expect((await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: "Bearer not-a-token-of-ours" } })).status).toBe(401);
    const withToken = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${READ}` } });
    expect(withToken.status).toBe(200);
    expect(await withToken.text()).toContain("netatlas_agent_");
  });
});

describe("the agent's HTTP server on a unix socket", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "netatlas-http-server-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("serves /metrics without a token, the socket's file mode guarding it", async () => {
    const path = join(dir, "metrics.sock");
    const server = await start({ kind: "unix", path });
    try {
      const res = await fetch("http://localhost/metrics", { dispatcher: new Agent({ connect: { socketPath: path } }) });
      expect(res.status).toBe(200);
    } finally {
      await stopServer(server, log);
    }
  });

  it("refuses a path that is a regular file, and leaves the file", async () => {
    const path = join(dir, "not-a-socket");
    await writeFile(path, "someone's data\n");
    await expect(start({ kind: "unix", path })).rejects.toThrow(`${path} exists and is a regular file`);
    expect(await readFile(path, "utf8")).toBe("someone's data\n");
  });

  it("refuses a socket another process listens on, and leaves it", async () => {
    const path = join(dir, "live.sock");
    const first = await start({ kind: "unix", path });
    try {
      await expect(start({ kind: "unix", path })).rejects.toThrow(`another process listens on ${path}`);
      expect((await stat(path)).isSocket()).toBe(true);
    } finally {
      await stopServer(first, log);
    }
  });

  it("takes over a stale socket left by an agent that died, and removes its own at stop", async () => {
    const path = join(dir, "stale.sock");
    await staleSocket(path);
    const server = await start({ kind: "unix", path });
    const res = await fetch("http://localhost/trpc/health", { dispatcher: new Agent({ connect: { socketPath: path } }) });
    expect(await res.text()).toBe("trpc");
    await stopServer(server, log);
    await expect(stat(path)).rejects.toThrow(/ENOENT/);
  });

  it("leaves a file that took the socket's path while it served", async () => {
    const path = join(dir, "replaced.sock");
    const server = await start({ kind: "unix", path });
    await rm(path);
    await writeFile(path, "a newer tenant\n");
    await stopServer(server, log);
    expect(await readFile(path, "utf8")).toBe("a newer tenant\n");
  });
});
