import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeSnapshot } from "@netatlas/core";
import { AnswerTooLargeError } from "./bounded-response.js";
import { createAgentClient } from "./client.js";
import { createAgentHttpHandler } from "./http-handler.js";
import { loneData, loneQueries, NoSuchProcedureError } from "./lone-query.js";
import type { AgentPorts } from "./ports.js";
import { SnapshotVersions } from "./snapshot-versions.js";

const TOKEN = "lone-query-token-0123456789";
/** A snapshot-shaped answer of some 100 KB; the router does not validate snapshots. */
const snapshot = { node: "node-a", namespaces: Array.from({ length: 1_000 }, (_, id) => ({ id, names: [`ns-${id}-${"x".repeat(80)}`] })) } as unknown as NodeSnapshot;

describe("a lone query, its answer's text kept", () => {
  const servers: Server[] = [];
  let url: string;
  let older: string;
  let notAnAgent: string;

  const listen = async (server: Server) => {
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  beforeAll(async () => {
    const ports = {
      versions: new SnapshotVersions(),
      info: () => ({ version: "0.0.0", node: "node-a", capabilities: [], mode: "observe", reader: "netlink", startedAt: new Date().toISOString() }),
      snapshot: async () => snapshot,
      authenticate: (token: string | undefined) => (token === TOKEN ? "read" : null),
      events: { since: () => [], latestSeq: () => 0, subscribe: () => () => undefined },
      startedAt: Date.now(),
    } as unknown as AgentPorts;
    const handler = createAgentHttpHandler(ports);
    url = await listen(createServer(handler));
    // An agent from before snapshotFull: tRPC answers as for any procedure it lacks.
    older = await listen(createServer((req, res) => handler(Object.assign(req, { url: req.url?.replace("/trpc/snapshotFull", "/trpc/snapshotFullOfANewerAgent") }), res)));
    notAnAgent = await listen(createServer((_req, res) => res.writeHead(404, { "content-type": "text/html" }).end("<h1>Not Found</h1>")));
  });
  afterAll(() => servers.forEach((s) => (s.closeAllConnections(), s.close())));

  it("gives the data the client's query gives, and the text it came in", async () => {
    const answer = await loneQueries({ url, token: TOKEN })("snapshotFull", { maxAgeMs: 1_000 });
    const viaClient = await createAgentClient({ url, token: TOKEN }).snapshotFull.query({ maxAgeMs: 1_000 });
    expect(answer.data).toEqual(viaClient);
    expect(answer.data).toMatchObject({ type: "full", version: 1, snapshot: { node: "node-a" } });
    expect(loneData(answer.text)).toEqual(answer.data);
  });

  it("says that an agent lacks the procedure, apart from any other failure", async () => {
    await expect(loneQueries({ url: older, token: TOKEN })("snapshotFull", {})).rejects.toBeInstanceOf(NoSuchProcedureError);
    await expect(loneQueries({ url, token: "not-the-token" })("snapshotFull", {})).rejects.toThrow(new RegExp(`^agent ${url}: .*token`, "i"));
    await expect(loneQueries({ url: notAnAgent })("snapshotFull", {})).rejects.toThrow(/HTTP 404 with an answer that is not JSON; is this a netatlas agent's address\?/);
  });

  it("refuses an answer over the caller's bound", async () => {
    await expect(loneQueries({ url, token: TOKEN, maxAnswerBytes: 10_000 })("snapshotFull", {})).rejects.toBeInstanceOf(AnswerTooLargeError);
  });
});
