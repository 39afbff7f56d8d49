import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAgentHttpHandler, SnapshotVersions, type AgentPorts } from "@netatlas/agent-api";

/**
 * Agents for a test: the real agent API on 127.0.0.1 serving one snapshot (or anything in
 * its place) to `token`. `lacking`: its router has no such procedure, as an agent from
 * before it (the request reaches tRPC under a name it does not know, so the answer is
 * tRPC's own for a missing procedure). `close` ends every agent started.
 */
export function agentsOnHttp(token: string) {
  const servers: Server[] = [];
  return {
    async start(served: { node: string }, lacking?: string): Promise<string> {
      const ports = {
        info: () => ({ version: "0.0.0", node: served.node, capabilities: ["snapshot"], mode: "observe", reader: "netlink", startedAt: new Date().toISOString() }),
        snapshot: () => Promise.resolve(served),
        events: { since: () => [], latestSeq: () => 0, subscribe: () => () => undefined },
        versions: new SnapshotVersions(),
        authenticate: (given: string | undefined) => (given === token ? "read" : null),
        startedAt: Date.now(),
      } as unknown as AgentPorts;
      const handler = createAgentHttpHandler(ports);
      const missing = lacking && `/trpc/${lacking}`;
      const server = createServer((req, res) => {
        if (missing && req.url?.startsWith(missing)) req.url = req.url.replace(missing, `${missing}OfANewerAgent`);
        handler(req, res);
      });
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: () => Promise.all(servers.splice(0).map((s) => new Promise((resolve) => (s.closeAllConnections(), s.close(resolve))))),
  };
}
