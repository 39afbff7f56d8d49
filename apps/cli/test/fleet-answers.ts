import type { FakeAnswers } from "./fake-dashboard.js";

type Trace = FakeAnswers["trace"];
type Hop = Trace["forward"]["hops"][number];

const hop = (node: string, label: string, action: Hop["action"], rule: string, interfaces: string[]): Hop => ({ node, netns: { id: 4026532000, label }, interfaces, action, rule, detail: `${action} in ${label}`, packet: { src: "10.244.1.2", dst: "10.244.2.3" } });

export const deliveredTrace: Trace = {
  source: { node: "node1", netns: 4026532001, ip: "10.244.1.2" },
  destination: { ip: "10.244.2.3", protocol: "icmp" },
  packetSize: 1400,
  forward: {
    hops: [hop("node1", "node1-pod1", "route", "default via 10.244.1.1 dev eth0", ["eth0"]), hop("node1", "host", "route", "10.244.2.0/24 via 10.244.2.0 dev netatlas.1 onlink", ["cni0", "netatlas.1"]), hop("node2", "node2-pod1", "deliver", "local 10.244.2.3 dev eth0", ["eth0"])],
    verdict: { kind: "delivered", hop: 2, message: "delivered to node2-pod1" },
  },
  reverse: { hops: [hop("node2", "node2-pod1", "deliver", "local 10.244.1.2", ["eth0"])], verdict: { kind: "delivered", hop: 0, message: "the reply reaches node1-pod1" } },
  asymmetric: false,
};

/** node1's route to node2's pods deleted: the trace stops at node1's host. */
export const noRouteTrace: Trace = {
  ...deliveredTrace,
  forward: {
    hops: [hop("node1", "node1-pod1", "route", "default via 10.244.1.1 dev eth0", ["eth0"]), hop("node1", "host", "route", "(no route)", ["cni0"])],
    verdict: { kind: "no-route", hop: 1, message: "node1's host has no route to 10.244.2.3" },
  },
  reverse: undefined,
};

export const fleetAnswers = (): FakeAnswers => ({
  overview: {
    now: Date.now(),
    pollIntervalMs: 5000,
    rows: [
      { name: "node1", url: "unix:/run/lab/node1/agent.sock", source: "config", status: "up", snapshotAgeMs: 2000, lastSeenAt: Date.now(), kernel: "6.1.0", pods: 2, deadPods: 0, containers: 0, dockerNetworks: [], namespaces: 4, findings: { critical: 0, error: 1, warning: 2, info: 0 } },
      { name: "node2", url: "unix:/run/lab/node2/agent.sock", source: "config", status: "down", pods: 0, deadPods: 0, containers: 0, dockerNetworks: [], namespaces: 0, findings: { critical: 0, error: 0, warning: 0, info: 0 }, lastError: "agent node2: connect ENOENT /run/lab/node2/agent.sock" },
    ],
  },
  findings: [
    { code: "missing-peer-route", severity: "error", items: [{ code: "missing-peer-route", severity: "error", message: "node1 has no route to node2's pod subnet 10.244.2.0/24", subjects: ["10.244.2.0/24"], node: "node1", firstSeenAt: 1_700_000_000_000 }] },
    { code: "leaked-netns", severity: "warning", items: [{ code: "leaked-netns", severity: "warning", message: "namespace leak1 has no process", subjects: ["node2/leak1"], node: "node2", firstSeenAt: null }] },
  ],
  pods: [
    { node: "node1", key: "default/node1-pod1", namespace: "default", name: "node1-pod1", ips: ["10.244.1.2"], alive: true, holderPid: 4242, netns: 4026532001, containers: [{ name: "app" }] },
    { node: "node1", key: "default/node1-pod2", namespace: "default", name: "node1-pod2", ips: ["10.244.1.3"], alive: false, containers: [] },
  ],
  trace: deliveredTrace,
  probe: { node: "node1", netns: 4026532001, target: "10.244.2.3", protocol: "icmp", attempts: [{ ok: true, rttMs: 0.2 }, { ok: true, rttMs: 0.4 }, { ok: true, rttMs: 0.3 }] },
  planSet: {
    id: 7,
    createdAt: "2026-01-31T12:00:00.000Z",
    author: "admin",
    kind: "spec",
    specVersion: 3,
    nodes: [
      { node: "node1", dashboardNode: "node1", status: "planned", error: null, plan: { node: "node1", hash: "a".repeat(64), conflicts: [], ops: [{ op: "replace-route", dst: "10.244.2.0/24", via: "192.168.50.12", dev: "eth0", onlink: false, reason: "node2's pods" }] } },
      { node: "node2", dashboardNode: "node2", status: "planned", error: null, plan: { node: "node2", hash: "b".repeat(64), conflicts: [], ops: [{ op: "replace-route", dst: "10.244.1.0/24", via: "192.168.50.11", dev: "eth0", onlink: false, reason: "node1's pods" }, { op: "set-up", name: "cni0", reason: "the bridge is down" }] } },
      { node: "node3", dashboardNode: null, status: "unreachable", error: "agent node3: connect ECONNREFUSED", plan: null },
    ],
  },
  jobs: [
    { id: 11, planSetId: 7, startedAt: "2026-01-31T12:01:00.000Z", finishedAt: null, author: "admin", status: "running", message: null, progress: { nodes: [{ node: "node1", wave: 1, state: "applying", planHash: "a".repeat(64), ops: 1, results: [], remaining: [], error: null }], checks: [] } },
    { id: 11, planSetId: 7, startedAt: "2026-01-31T12:01:00.000Z", finishedAt: "2026-01-31T12:01:05.000Z", author: "admin", status: "succeeded", message: null, progress: { nodes: [{ node: "node1", wave: 1, state: "applied", planHash: "a".repeat(64), ops: 1, results: [], remaining: [], error: null }], checks: [{ wave: 1, from: "node1", to: "node2", kind: "pod", target: "10.244.2.3", result: "passed", detail: "3 of 3 replies" }] } },
  ],
  drift: [{ node: "node1", checkedAt: Date.now(), error: null, mode: "observe", hasIntent: true, ops: [{ op: "replace-route", dst: "10.244.2.0/24", via: "192.168.50.12", dev: "eth0", onlink: false, reason: "deleted by hand" }], firstSeenAt: new Date(Date.now() - 120_000).toISOString(), journal: null }],
  audit: [{ id: 1, at: "2026-01-31T12:01:00.000Z", actor: "admin", action: "apply", target: "fleet", detail: { planSet: 7 } }],
});
