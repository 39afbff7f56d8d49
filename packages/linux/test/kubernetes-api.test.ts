import { createServer, type Server } from "node:http";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inClusterAccess, listNodePods } from "../src/index.js";

// A stand-in API server on 127.0.0.1: enough to test the adapter's requests and errors.
describe("the Kubernetes API adapter", () => {
  let server: Server;
  let apiUrl: string;
  const seen: Array<{ url?: string; authorization?: string }> = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url, authorization: req.headers.authorization });
      if (req.headers.authorization !== "Bearer good-token") return void res.writeHead(401).end('{"message":"Unauthorized"}');
      if (req.url?.includes("slow")) return; // never answers
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ kind: "PodList", items: [{ metadata: { name: "web-0", namespace: "shop" } }] }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    apiUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("lists the pods of one node with the service account's token and a field selector", async () => {
    const items = await listNodePods({ apiUrl, token: "good-token" }, "node-a");
    expect(items).toEqual([{ metadata: { name: "web-0", namespace: "shop" } }]);
    expect(seen.at(-1)).toEqual({ url: "/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-a", authorization: "Bearer good-token" });
  });

  it("says what the API server answered when it refuses, and gives up on a silent one", async () => {
    await expect(listNodePods({ apiUrl, token: "wrong" }, "node-a")).rejects.toThrow(/HTTP 401: \{"message":"Unauthorized"\}/);
    await expect(listNodePods({ apiUrl, token: "good-token" }, "slow", 200)).rejects.toThrow(/no answer within 200 ms/);
  });

  it("finds in-cluster access from the environment and the service account, and none outside a cluster", async () => {
    const dir = await mkdtemp(join(tmpdir(), "netatlas-sa-"));
    try {
      await writeFile(join(dir, "token"), "sa-token\n");
      expect(await inClusterAccess({ KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT: "443" }, dir)).toEqual({ apiUrl: "https://10.96.0.1:443", token: "sa-token", ca: undefined });
      expect(await inClusterAccess({}, dir)).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
