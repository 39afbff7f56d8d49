import { afterEach, describe, expect, it } from "vitest";
import { applyOps, reconnectContainers } from "../src/index.js";
import { fakeDockerd, type FakeDockerd } from "../src/testing/index.js";

// The real dockerd makes and changes networks in tools/lab's e2e; this fake records what is asked of it, in order.
describe("Docker network ops over the Engine API", () => {
  let dockerd: FakeDockerd | undefined;
  afterEach(async () => dockerd?.close());

  async function engine(fail?: { path: string; status: number; message: string }, attached: Record<string, Record<string, unknown>> = {}) {
    dockerd = await fakeDockerd(({ method, url }) => {
      if (fail && url === fail.path) return { status: fail.status, json: { message: fail.message } };
      const inspected = method === "GET" ? attached[decodeURIComponent(url.slice("/networks/".length))] : undefined;
      if (inspected) return { status: 200, json: { Name: "app", Containers: inspected } };
      if (url === "/networks/create") return { status: 201, json: { Id: "new1", Warning: "" } };
      return { status: method === "DELETE" ? 204 : 200 };
    });
    return dockerd;
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
