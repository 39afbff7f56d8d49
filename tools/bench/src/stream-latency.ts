import { setTimeout as sleep } from "node:timers/promises";
import { createAgentClient } from "@netatlas/agent-api";
import type { NodeSnapshot, Route } from "@netatlas/core";
import { syncedDashboard, withStarted } from "./cold-sync.js";
import type { DashboardSession } from "./dashboard-session.js";
import { dashboardHealthOver, metricsToken } from "./dashboard-metrics.js";
import { median } from "./measure.js";
import { processCpuMs, processRssMb } from "./process-usage.js";
import { startRecordedAgents, type RecordedAgent, type RecordedAgents } from "./recorded-agents.js";

/** Issue 16's target: a change on one node visible through the dashboard's API this soon, at the 99th percentile. */
const VISIBLE_P99_TARGET_MS = 1_000;
/** How often the bench asks the dashboard whether a change is there yet: often enough to time it, and only while one is pending. */
const VISIBLE_POLL_MS = 20;
/** A change not visible by then counts as missed. */
const VISIBLE_TIMEOUT_MS = 30_000;
/** The dashboard with its streams open and nothing changing: its CPU is measured over this long before the changes. */
const QUIET_WINDOW_MS = 10_000;

/** `node` with one more route on its host's uplink (a /32 of 198.18.0.0/15, the benchmarking range), as a new state read now. */
function withRoute(node: NodeSnapshot, change: number): { next: NodeSnapshot; dst: string } {
  const host = node.namespaces.find((ns) => ns.kind === "host")?.id;
  const uplink = node.routes.find((r) => r.netns === host && r.dst === "0.0.0.0/0");
  if (host === undefined || !uplink?.dev) throw new Error(`recorded node ${node.node} has no host namespace with a default route to add a route beside`);
  const dst = `198.18.${change >> 8}.${change & 255}/32`;
  const route: Route = { netns: host, family: 4, table: "main", type: "unicast", dst, dev: uplink.dev, protocol: "static", scope: "link", flags: [] };
  return { next: { ...node, collectedAt: new Date().toISOString(), routes: [...node.routes, route] }, dst };
}

interface Timed {
  node: string;
  /** From publishing the change to the bench's own agent-api client seeing its delta. */
  directMs?: number;
  /** From publishing the change to the first node.get through the dashboard that shows its route. */
  dashboardMs?: number;
}

/** The bench's own agent-api client on the stream of each node to be changed: the time a change takes to reach any subscriber, without a dashboard. */
async function directSubscribers(agents: readonly RecordedAgent[], onDelta: (node: string) => void): Promise<() => void> {
  const closers: (() => void)[] = [];
  await Promise.all(
    agents.map(
      (agent) =>
        new Promise<void>((resolve, reject) => {
          const client = createAgentClient({ url: agent.url, token: agent.token });
          const subscription = client.snapshotStream.subscribe(
            { lastEventId: undefined },
            {
              onData: (value) => {
                const type = ((value as { data?: { type?: string } }).data ?? (value as { type?: string })).type;
                if (type === "full") resolve();
                if (type === "delta") onDelta(agent.name);
              },
              onError: (error) => reject(new Error(`the bench's own subscription to agent ${agent.name}: ${error.message}`)),
            },
          );
          closers.push(() => subscription.unsubscribe());
        }),
    ),
  );
  return () => closers.forEach((close) => close());
}

/** Asks node.get every VISIBLE_POLL_MS until the node's snapshot has a route to `dst`; the time (performance.now()) its answer arrived. */
async function visibleAt(session: DashboardSession, node: string, dst: string): Promise<number | undefined> {
  const deadline = performance.now() + VISIBLE_TIMEOUT_MS;
  while (performance.now() < deadline) {
    const answer = await session.query<{ snapshot: NodeSnapshot | null }>("node.get", { name: node });
    if (answer.snapshot?.routes.some((r) => r.dst === dst)) return performance.now();
    await sleep(VISIBLE_POLL_MS);
  }
  return undefined;
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;

function describeLatencies(label: string, values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return `  ${label}: none seen`;
  return `  ${label.padEnd(58)} p50 ${median(sorted).toFixed(0).padStart(5)} ms   p99 ${percentile(sorted, 99).toFixed(0).padStart(5)} ms   max ${(sorted.at(-1) as number).toFixed(0).padStart(5)} ms`;
}

/** Waits until the dashboard says every node's newest state is in its history (/api/health's historyBacklog); how long that took. */
async function historyWritten(url: string, timeoutMs = 600_000): Promise<number> {
  const start = performance.now();
  for (;;) {
    const health = (await (await fetch(`${url}/api/health`)).json()) as { historyBacklog?: number };
    if (health.historyBacklog === 0) return performance.now() - start;
    if (performance.now() - start > timeoutMs) throw new Error(`the dashboard still had ${health.historyBacklog} nodes to write to its history ${timeoutMs / 1000} s after its cold sync`);
    await sleep(500);
  }
}

/**
 * Waits until the dashboard's CPU has settled after its cold sync: two windows in a row
 * within 5 points of each other, or under 10% of a core. 2,000 streams keep it busy with
 * their heartbeats, so "idle" never comes; history written after the sync does end.
 */
async function waitUntilSteady(pid: number, windowMs = 5_000, timeoutMs = 600_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  let last = Infinity;
  for (;;) {
    const { percent } = await cpuOver(pid, () => sleep(windowMs));
    if (percent < 10 || Math.abs(percent - last) < 5) return percent;
    if (performance.now() > deadline) throw new Error(`the dashboard's CPU did not settle within ${timeoutMs / 1000} s after its cold sync (last ${percent.toFixed(0)}% of a core)`);
    last = percent;
  }
}

/** The CPU a process used over `fn`, as % of one core. */
async function cpuOver<T>(pid: number, fn: () => Promise<T>): Promise<{ result: T; percent: number; ms: number }> {
  const [cpu0, t0] = [processCpuMs(pid), performance.now()];
  const result = await fn();
  const ms = performance.now() - t0;
  return { result, percent: ((processCpuMs(pid) - cpu0) / ms) * 100, ms };
}

/**
 * Issue 16's live-change benchmark: `fleet.length` recorded agents that stream, one
 * dashboard following all of them; once synced and quiet, `changes` nodes (each a
 * different one) get a new route every `everyMs`, and each change is timed until
 * node.get through the dashboard shows it. The baseline, in the same run and for the
 * same changes: the bench's own agent-api client on those nodes' streams (what any
 * subscriber sees, with no dashboard in between). Returns whether p99 met the target.
 */
export async function streamLatencyBenchmark(fleet: readonly NodeSnapshot[], options: { changes: number; everyMs: number; pods: number; dashboardNodeArgs?: readonly string[] }): Promise<boolean> {
  const { changes, everyMs, pods } = options;
  if (changes > fleet.length) throw new Error(`--changes ${changes}: each change goes to a node of its own, and the fleet has ${fleet.length}`);
  let agents: RecordedAgents | undefined;
  let closeDirect: (() => void) | undefined;
  const alsoStop = async () => {
    closeDirect?.();
    await agents?.stop();
  };
  return withStarted(async (started) => {
    agents = await startRecordedAgents(fleet);
    const token = metricsToken();
    const { server, session, syncMs, syncCpuPercent } = await syncedDashboard(agents.agents, { pollIntervalMs: 60_000, overviewEveryMs: 1_000, started, nodeArgs: options.dashboardNodeArgs, env: { NETATLAS_METRICS_TOKEN: token } });
    console.log(`\n${fleet.length} recorded agents that stream (${pods} pods, ${(JSON.stringify(fleet[0]).length / 1024).toFixed(0)} KiB snapshot each): the dashboard (PID ${server.pid}) had all up ${(syncMs / 1000).toFixed(1)} s after its runtime started (${syncCpuPercent.toFixed(0)}% of one core meanwhile)`);
    const historyMs = await historyWritten(server.url);
    console.log(`  the history of every node was written ${(historyMs / 1000).toFixed(1)} s after that (whole snapshots, one at a time)`);
    await waitUntilSteady(server.pid);
    const quiet = await cpuOver(server.pid, () => sleep(QUIET_WINDOW_MS));
    // Spread over the fleet, each on a node of its own.
    const stride = Math.floor(fleet.length / changes);
    const targets = Array.from({ length: changes }, (_, i) => agents!.agents[i * stride] as RecordedAgent);
    const timed = new Map<string, Timed & { publishedAt: number }>();
    closeDirect = await directSubscribers(targets, (node) => {
      const t = timed.get(node);
      if (t && t.directMs === undefined) t.directMs = performance.now() - t.publishedAt;
    });
    const { value: window, health } = await dashboardHealthOver(server.url, token, () => cpuOver(server.pid, async () => {
      const pending: Promise<void>[] = [];
      for (const [i, agent] of targets.entries()) {
        const { next, dst } = withRoute(agents!.snapshotOf(agent.name), i);
        const entry = { node: agent.name, publishedAt: performance.now() };
        timed.set(agent.name, entry);
        agents!.change(agent.name, next);
        pending.push(visibleAt(session, agent.name, dst).then((at) => void (at !== undefined && ((entry as Timed).dashboardMs = at - entry.publishedAt))));
        await sleep(everyMs);
      }
      await Promise.all(pending);
    }));
    const all = [...timed.values()];
    const dashboard = all.flatMap((t) => (t.dashboardMs === undefined ? [] : [t.dashboardMs]));
    const direct = all.flatMap((t) => (t.directMs === undefined ? [] : [t.directMs]));
    const p99 = dashboard.length ? percentile([...dashboard].sort((a, b) => a - b), 99) : Infinity;
    const met = dashboard.length === changes && p99 < VISIBLE_P99_TARGET_MS;
    console.log(`\na new route on one node every ${everyMs} ms, ${changes} nodes in turn, while all ${fleet.length} agents stream: from publishing the change until it is seen`);
    console.log(describeLatencies("baseline: the bench's own agent-api client on the stream", direct));
    console.log(describeLatencies(`through the dashboard's API (node.get, asked every ${VISIBLE_POLL_MS} ms)`, dashboard));
    console.log(`  ${met ? "PASS" : "FAIL"}: p99 ${Number.isFinite(p99) ? `${p99.toFixed(0)} ms` : "-"} through the dashboard, target < ${VISIBLE_P99_TARGET_MS} ms; ${changes - dashboard.length} of ${changes} not seen within ${VISIBLE_TIMEOUT_MS / 1000} s`);
    console.log(`  dashboard CPU: ${quiet.percent.toFixed(1)}% of one core with the streams quiet (heartbeats only, ${(quiet.ms / 1000).toFixed(0)} s), ${window.percent.toFixed(1)}% while the changes went on (${(window.ms / 1000).toFixed(1)} s, the bench's node.get polls included)`);
    const slowest = all.reduce<(typeof all)[number] | undefined>((worst, t) => ((t.dashboardMs ?? Infinity) > (worst?.dashboardMs ?? -1) ? t : worst), undefined);
    if (slowest) console.log(`  meanwhile: ${health.streamFailures} stream(s) failed and were reopened; the event loop's longest delay ${health.eventLoopMaxMs.toFixed(0)} ms; the slowest change (${slowest.dashboardMs === undefined ? "not seen" : `${slowest.dashboardMs.toFixed(0)} ms`}) was published ${((slowest.publishedAt - server.runtimeStartedAt) / 1000).toFixed(1)} s after the runtime started`);
    console.log(`  dashboard RSS: ${processRssMb(server.pid, "VmRSS").toFixed(0)} MB now, ${processRssMb(server.pid, "VmHWM").toFixed(0)} MB at its peak (the cold sync included)`);
    return met;
  }, alsoStop);
}
