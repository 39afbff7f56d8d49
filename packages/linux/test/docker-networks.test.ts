import { createServer, type Server } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { applyOps, reconnectContainers } from "../src/index.js";

// The real dockerd makes and changes networks in tools/lab's e2e; this fake records what is asked of it, in order.
describe("Docker network ops over the Engine API", () => {
  let server: Server | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function engine(fail?: { path: string; status: number; message: string }, attached: Record<string, Record<string, unknown>> = {}) {
    dir = await mkdtemp(join(tmpdir(), "netatlas-docker-"));
    const socket = join(dir, "docker.sock");
    const calls: Array<{ method?: string; url?: string; body: unknown }> = [];
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        calls.push({ method: req.method, url: req.url, body: text ? JSON.parse(text) : undefined });
        if (fail && req.url === fail.path) return res.writeHead(fail.status, { "content-type": "application/json" }).end(JSON.stringify({ message: fail.message }));
        const inspected = req.method === "GET" ? attached[decodeURIComponent(req.url?.slice("/networks/".length) ?? "")] : undefined;
        if (inspected) return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ Name: "app", Containers: inspected }));
        if (req.url === "/networks/create") return res.writeHead(201, { "content-type": "application/json" }).end('{"Id":"new1","Warning":""}');
        res.writeHead(req.method === "DELETE" ? 204 : 200).end();
      });
    });
    await new Promise<void>((resolve) => server?.listen(socket, resolve));
    return { socket, calls };
  }

  const settings = { name: "app", subnet: "172.30.0.0/24", gateway: "172.30.0.1", mtu: 1450, masquerade: false, icc: true };

  it("creates a bridge network with IPAM, every option and netatlas's label", async () => {
    const { socket, calls } = await engine();
    const results = await applyOps([{ op: "docker-network-create", ...settings, reason: "r" }], { dockerSocket: socket });
    expect(results.map((r) => r.status)).toEqual(["applied"]);
    expect(calls).toEqual([
      {
        method: "POST",
        url: "/networks/create",
        body: {
          Name: "app", Driver: "bridge", CheckDuplicate: true,
          IPAM: { Driver: "default", Config: [{ Subnet: "172.30.0.0/24", Gateway: "172.30.0.1" }] },
          Options: { "com.docker.network.driver.mtu": "1450", "com.docker.network.bridge.enable_ip_masquerade": "false", "com.docker.network.bridge.enable_icc": "true" },
          Labels: { "io.netatlas.owned": "true" },
        },
      },
    ]);
  });

  it("replaces a network under attached containers: disconnect each, remove, create, connect each to the new one", async () => {
    const { socket, calls } = await engine();
    const containers = [{ id: "c1", name: "web", state: "running" }, { id: "c2", name: "db", state: "exited" }];
    await applyOps([{ op: "docker-network-replace", id: "old1", ...settings, containers, disruptive: true, reason: "r" }], { dockerSocket: socket });
    expect(calls.map((c) => `${c.method} ${c.url} ${JSON.stringify(c.body ?? "")}`)).toEqual([
      'POST /networks/old1/disconnect {"Container":"c1","Force":true}',
      'POST /networks/old1/disconnect {"Container":"c2","Force":true}',
      'DELETE /networks/old1 ""',
      expect.stringMatching(/^POST \/networks\/create /),
      'POST /networks/new1/connect {"Container":"c1"}',
      'POST /networks/new1/connect {"Container":"c2"}',
    ]);
  });

  it("fails an op with dockerd's own message and skips the ops after it", async () => {
    const { socket } = await engine({ path: "/networks/old1", status: 403, message: "error while removing network: network app id old1 has active endpoints" });
    const results = await applyOps([{ op: "docker-network-remove", name: "app", id: "old1", reason: "r" }, { op: "docker-network-create", ...settings, reason: "r" }], { dockerSocket: socket });
    expect(results.map((r) => r.status)).toEqual(["failed", "skipped"]);
    expect(results[0]?.error).toBe(`Docker API DELETE /networks/old1 on ${socket}: HTTP 403: error while removing network: network app id old1 has active endpoints`);
  });

  it("connects back, after a replace was cut off, the containers it had disconnected and not those already on the network", async () => {
    const { socket, calls } = await engine(undefined, { app: { c2full: { Name: "db" } } });
    const results = await reconnectContainers("app", [{ id: "c1", name: "web" }, { id: "c2", name: "db" }, { id: "c3", name: "cache" }], socket);
    expect(calls.map((c) => `${c.method} ${c.url} ${JSON.stringify(c.body ?? "")}`)).toEqual(['GET /networks/app ""', 'POST /networks/app/connect {"Container":"c1"}', 'POST /networks/app/connect {"Container":"c3"}']);
    expect(results).toEqual([{ container: "web", outcome: "connected" }, { container: "db", outcome: "already-connected" }, { container: "cache", outcome: "connected" }]);
  });

  it("reports a container it cannot connect back with dockerd's message, and goes on with the rest", async () => {
    const { socket } = await engine({ path: "/networks/app/connect", status: 404, message: "No such container: c1" }, { app: {} });
    const results = await reconnectContainers("app", [{ id: "c1", name: "web" }], socket);
    expect(results).toEqual([{ container: "web", outcome: "failed", error: `Docker API POST /networks/app/connect on ${socket}: HTTP 404: No such container: c1` }]);
  });
});
