import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgentClient } from "./client.js";

/** A stand-in agent whose `health` answer is `bytes` long, with or without Content-Length. */
function bigAnswerServer(bytes: number, declareLength: boolean): Server {
  return createServer((_req, res) => {
    const padding = "x".repeat(Math.max(0, bytes - 80));
    const body = JSON.stringify([{ result: { data: { status: "ok", node: padding, uptimeSeconds: 1 } } }]);
    res.writeHead(200, { "content-type": "application/json", ...(declareLength ? { "content-length": Buffer.byteLength(body) } : {}) });
    // In pieces, as a large answer arrives.
    for (let i = 0; i < body.length; i += 64 * 1024) res.write(body.slice(i, i + 64 * 1024));
    res.end();
  });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

describe("an agent client's bound on answers", () => {
  const servers: Server[] = [];
  const urls: Record<string, string> = {};
  beforeAll(async () => {
    for (const [name, bytes, declared] of [["small", 10_000, true], ["declared", 3_000_000, true], ["streamed", 3_000_000, false]] as const) {
      const server = bigAnswerServer(bytes, declared);
      servers.push(server);
      urls[name] = await listen(server);
    }
  });
  afterAll(() => servers.forEach((s) => s.close()));

  it("takes an answer within the bound", async () => {
    const health = await createAgentClient({ url: urls.small as string, maxAnswerBytes: 1_000_000 }).health.query();
    expect(health.status).toBe("ok");
  });

  it("refuses an answer whose Content-Length is over the bound, naming the bound", async () => {
    await expect(createAgentClient({ url: urls.declared as string, maxAnswerBytes: 1_000_000 }).health.query()).rejects.toThrow(/larger than 1000000 bytes/);
  });

  it("stops reading an answer without Content-Length once it passes the bound", async () => {
    await expect(createAgentClient({ url: urls.streamed as string, maxAnswerBytes: 1_000_000 }).health.query()).rejects.toThrow(/larger than 1000000 bytes/);
  });
});
