import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAgentHttpHandler, SnapshotVersions, type AgentPorts } from "@netatlas/agent-api";
import type { NodeSnapshot } from "@netatlas/core";

export interface RecordedAgent {
  name: string;
  url: string;
  /** The read token its router accepts; any other is refused as by a real agent. */
  token: string;
}

export interface RecordedAgents {
  agents: RecordedAgent[];
  /** Snapshot requests (whole or "if changed") answered so far, over all agents. */
  served(): number;
  stop(): Promise<void>;
}

const refuse = (what: string) => () => Promise.reject(new Error(`a recorded benchmark agent does not ${what}`));

/** The agent's ports over one recorded snapshot: it never changes, so the event stream stays silent. */
function recordedPorts(snapshot: NodeSnapshot, token: string, onSnapshot: () => void): AgentPorts {
  const startedAt = Date.now();
  return {
    info: () => ({ version: "bench", node: snapshot.node, capabilities: ["snapshot", "events", "pods"], mode: "observe", reader: snapshot.reader, startedAt: new Date(startedAt).toISOString() }),
    snapshot: () => {
      onSnapshot();
      return Promise.resolve(snapshot);
    },
    events: { since: () => [], latestSeq: () => 0, subscribe: () => () => undefined },
    versions: new SnapshotVersions(),
    authenticate: (given) => (given === token ? "read" : null),
    setMode: () => {
      throw new Error("a recorded benchmark agent has no mode to set");
    },
    reconcile: { plan: refuse("plan"), apply: refuse("apply"), status: refuse("reconcile") },
    probe: refuse("send probes"),
    startedAt,
  };
}

/**
 * One HTTP server on 127.0.0.1 (a port of its own) per snapshot, each serving
 * the real agent router (`createAgentHttpHandler`) over that recorded snapshot,
 * with its own read token.
 */
export async function startRecordedAgents(snapshots: readonly NodeSnapshot[]): Promise<RecordedAgents> {
  const servers: Server[] = [];
  let served = 0;
  const stop = () => Promise.all(servers.map((s) => new Promise<void>((resolve) => { s.closeAllConnections(); s.close(() => resolve()); }))).then(() => undefined);
  try {
    const agents: RecordedAgent[] = [];
    for (const snapshot of snapshots) {
      const token = randomBytes(24).toString("hex");
      const server = createServer(createAgentHttpHandler(recordedPorts(snapshot, token, () => served++)));
      servers.push(server);
      await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
      agents.push({ name: snapshot.node, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token });
    }
    return { agents, served: () => served, stop };
  } catch (error) {
    await stop();
    throw new Error(`cannot start the recorded agents on 127.0.0.1: ${(error as Error).message}`);
  }
}
