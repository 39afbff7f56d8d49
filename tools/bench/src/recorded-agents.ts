import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { answerAheadWhenQuiet, createAgentHttpHandler, SnapshotVersions, TRPC_BASE_PATH, type AgentPorts } from "@netatlas/agent-api";
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
  /** Whether the agents offer their snapshot stream (from now on); without it they answer as agents from before streams, and are polled. */
  offerStream(on: boolean): void;
  /** The snapshot agent `name` serves now. */
  snapshotOf(name: string): NodeSnapshot;
  /** Node `name` changes to `next`: its agent serves it from now on and streams it as a new version at once. */
  change(name: string, next: NodeSnapshot): void;
  stop(): Promise<void>;
}

/** One agent's node as it is now, and its numbered states. */
interface RecordedNode {
  snapshot: NodeSnapshot;
  versions: SnapshotVersions;
}

const refuse = (what: string) => () => Promise.reject(new Error(`a recorded benchmark agent does not ${what}`));

/** The agent's ports over one recorded node: it changes only when the benchmark says, and its event stream stays silent. */
function recordedPorts(node: RecordedNode, token: string, onSnapshot: () => void): AgentPorts {
  const startedAt = Date.now();
  const { snapshot } = node;
  return {
    info: () => ({ version: "bench", node: snapshot.node, capabilities: ["snapshot", "events", "pods"], mode: "observe", reader: snapshot.reader, startedAt: new Date(startedAt).toISOString() }),
    snapshot: () => {
      onSnapshot();
      return Promise.resolve(node.snapshot);
    },
    events: { since: () => [], latestSeq: () => 0, subscribe: () => () => undefined },
    versions: node.versions,
    authenticate: (given) => (given === token ? "read" : null),
    setMode: () => {
      throw new Error("a recorded benchmark agent has no mode to set");
    },
    reconcile: { plan: refuse("plan"), apply: refuse("apply"), status: refuse("reconcile") },
    probe: refuse("send probes"),
    startedAt,
  };
}

/** The stream's procedures; an agent from before streams has neither. */
const STREAM_PATHS = [`${TRPC_BASE_PATH}/snapshotStream`, `${TRPC_BASE_PATH}/snapshotFull`];

/**
 * One HTTP server on 127.0.0.1 (a port of its own) per snapshot, each serving
 * the real agent router (`createAgentHttpHandler`) over that recorded snapshot,
 * with its own read token. Each node's first state is numbered at once, and its
 * answer made ahead once quiet, as a running agent's are before any dashboard connects.
 */
export async function startRecordedAgents(snapshots: readonly NodeSnapshot[]): Promise<RecordedAgents> {
  const servers: Server[] = [];
  const answersAhead: (() => void)[] = [];
  const nodes = new Map<string, RecordedNode>();
  let served = 0;
  let streams = true;
  const stop = () => {
    for (const stopAnswersAhead of answersAhead) stopAnswersAhead();
    return Promise.all(servers.map((s) => new Promise<void>((resolve) => { s.closeAllConnections(); s.close(() => resolve()); }))).then(() => undefined);
  };
  const nodeOf = (name: string) => {
    const node = nodes.get(name);
    if (!node) throw new Error(`no recorded agent serves node "${name}"`);
    return node;
  };
  try {
    const agents: RecordedAgent[] = [];
    for (const snapshot of snapshots) {
      const token = randomBytes(24).toString("hex");
      const node: RecordedNode = { snapshot, versions: new SnapshotVersions() };
      node.versions.publish(snapshot);
      answersAhead.push(answerAheadWhenQuiet(node.versions));
      nodes.set(snapshot.node, node);
      const handler = createAgentHttpHandler(recordedPorts(node, token, () => served++));
      // Without a stream, the request reaches the router under a name it lacks: tRPC answers as an agent from before streams does.
      const server = createServer((req, res) => {
        const path = streams ? undefined : STREAM_PATHS.find((p) => req.url?.startsWith(p));
        if (path) req.url = `${path}OfANewerAgent${(req.url as string).slice(path.length)}`;
        handler(req, res);
      });
      servers.push(server);
      await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
      agents.push({ name: snapshot.node, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token });
    }
    return {
      agents,
      served: () => served,
      offerStream: (on) => void (streams = on),
      snapshotOf: (name) => nodeOf(name).snapshot,
      change: (name, next) => {
        const node = nodeOf(name);
        node.snapshot = next;
        node.versions.publish(next);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw new Error(`cannot start the recorded agents on 127.0.0.1: ${(error as Error).message}`);
  }
}
