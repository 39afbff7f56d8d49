import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAgentHttpHandler, SnapshotVersions, type AgentPorts, type ProbeInput, type ProbeResult } from "@netatlas/agent-api";
import type { NodeSnapshot } from "@netatlas/core";

export const READ_TOKEN = "fake-agent-read-token";
export const ADMIN_TOKEN = "fake-agent-admin-token";

/** An agent on 127.0.0.1 with the real agent API over stand-in ports: its snapshot is whatever `snapshot` holds now, its probes answer `probe`. */
export interface FakeAgent {
  name: string;
  url: string;
  snapshot: NodeSnapshot;
  probe: (input: ProbeInput) => Promise<ProbeResult>;
  close(): Promise<void>;
}

export async function fakeAgent(snapshot: NodeSnapshot): Promise<FakeAgent> {
  const agent = { name: snapshot.node, snapshot } as FakeAgent;
  agent.probe = () => Promise.reject(new Error(`fake agent ${snapshot.node}: no probe answer set`));
  const ports = {
    info: () => ({ version: "0.0.0", node: snapshot.node, capabilities: ["snapshot", "probe"], mode: "observe", reader: "netlink", startedAt: new Date().toISOString() }),
    snapshot: () => Promise.resolve(agent.snapshot),
    events: { since: () => [], latestSeq: () => 0, subscribe: () => () => undefined },
    // A change to `snapshot` reaches a stream at its next heartbeat, as from an agent without notifications.
    versions: new SnapshotVersions(),
    heartbeatMs: 200,
    authenticate: (token: string | undefined) => (token === ADMIN_TOKEN ? "admin" : token === READ_TOKEN ? "read" : null),
    setMode: () => undefined,
    reconcile: { status: () => Promise.reject(new Error("a fake agent keeps no intent")) },
    probe: (input: ProbeInput) => agent.probe(input),
    startedAt: Date.now(),
  } as unknown as AgentPorts;
  const server: Server = createServer(createAgentHttpHandler(ports));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  agent.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  agent.close = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return agent;
}

/** What a probe of `input` answers: `replies` of `attempts` echoes came back. */
export function probeAnswer(node: string, input: ProbeInput, replies: number, attempts = input.count): ProbeResult {
  return {
    node,
    netns: typeof input.netns === "number" ? input.netns : 0,
    target: input.target,
    protocol: input.protocol,
    ...(input.packetSize ? { packetSize: input.packetSize } : {}),
    attempts: Array.from({ length: attempts }, (_, i) => (i < replies ? { ok: true, rttMs: 0.3 } : { ok: false, error: "no reply within 1000 ms" })),
  };
}
