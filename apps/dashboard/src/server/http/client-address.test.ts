import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientAddress, PEER_HEADER, tagPeerAddresses } from "./client-address";

/** A real HTTP server: the peer's address reaches the handler's headers, and a client cannot write it itself. */
describe("client address", () => {
  let server: Server;
  let port: number;
  const trusted = ["127.0.0.1/32"];

  beforeAll(async () => {
    tagPeerAddresses();
    server = createServer((req, res) => {
      const headers = new Headers(Object.entries(req.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v] as [string, string]] : [])));
      const proxies = req.url === "/behind-proxy" ? trusted : [];
      res.end(JSON.stringify({ peer: req.headers[PEER_HEADER], client: clientAddress(headers, proxies) }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const ask = (path: string, headers: Record<string, string>) =>
    new Promise<{ peer: string; client: string }>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, path, headers }, (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolve(JSON.parse(body) as { peer: string; client: string }));
      });
      req.on("error", reject);
      req.end();
    });

  it("is the TCP peer, whatever the client writes in X-Forwarded-For or in the peer header", async () => {
    expect(await ask("/", { "x-forwarded-for": "203.0.113.9", [PEER_HEADER]: "198.51.100.1" })).toEqual({ peer: "127.0.0.1", client: "127.0.0.1" });
  });

  it("is the nearest untrusted hop of X-Forwarded-For behind a trusted proxy, at most 64 characters", async () => {
    expect((await ask("/behind-proxy", { "x-forwarded-for": "198.51.100.1, 203.0.113.9, 127.0.0.1" })).client).toBe("203.0.113.9");
    expect((await ask("/behind-proxy", { "x-forwarded-for": "x".repeat(5_000) })).client).toBe("x".repeat(64));
    expect((await ask("/behind-proxy", {})).client).toBe("127.0.0.1");
  });

  it("is unknown for a request no server tagged, whatever its X-Forwarded-For says", () => {
    expect(clientAddress(new Headers({ "x-forwarded-for": "203.0.113.9" }), ["0.0.0.0/0"])).toBe("unknown");
  });
});
