import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { NodeSnapshot } from "@netatlas/core";
import { chromium, type Browser } from "playwright-core";
import { startDashboard, type DashboardServer } from "./dashboard-server.js";
import { DashboardSession } from "./dashboard-session.js";
import { waitUntilIdle } from "./group-idle.js";
import { formatRatios } from "./measure.js";
import { timeGet, timeRender } from "./page-timing.js";
import { checkClickSelects, formatInteractions, longestTaskSoFar, RECORD_LONG_TASKS, timeSearchFocus, timeZoomAndPan } from "./topology-interaction.js";
import { repoRoot } from "./paths.js";
import { scalePods } from "./pod-scaler.js";
import { startRecordedAgents, type RecordedAgent, type RecordedAgents } from "./recorded-agents.js";
import { syntheticFleet } from "./synthetic-fleet.js";

const PASSWORD = "netatlas-bench-admin";
/** The node view's elements are its namespaces (host + one per pod) and its two devices (cni0, the VXLAN). */
const TOPOLOGY_ELEMENTS = 5_000;
const TOPOLOGY_PODS = TOPOLOGY_ELEMENTS - 3;
/** Rounds far apart, so the HTTP rows fall between two; the Chromium rows take minutes and print how many rounds overlapped them. */
const POLL_INTERVAL_MS = 60_000;

/** In the page: the topology view says it has drawn every element (sigma's first frame, or React Flow's after fitView). */
const TOPOLOGY_RENDERED = `!!document.querySelector("[data-testid=topology] [data-rendered]")`;

type Overview = { rows: { name: string; status: string }[] };
type PollRound = { startedAt: number; ms: number; nodes: number; changed: number; unchanged: number; failed: number };

async function lastPollRound(url: string): Promise<PollRound | null> {
  const res = await fetch(`${url}/api/health`);
  return ((await res.json()) as { lastPollRound?: PollRound | null }).lastPollRound ?? null;
}

/** The poll round after `after` (or the first), once it has ended. */
async function nextPollRound(url: string, after: PollRound | null, timeoutMs: number): Promise<PollRound> {
  const start = performance.now();
  for (;;) {
    const round = await lastPollRound(url).catch(() => null);
    if (round && round.startedAt !== after?.startedAt) return round;
    if (performance.now() - start > timeoutMs) throw new Error(`no poll round ended within ${timeoutMs} ms`);
    await sleep(500);
  }
}

const describeRound = (r: PollRound) => `${(r.ms / 1000).toFixed(2)} s for ${r.nodes} nodes (${r.changed} sent a snapshot, ${r.unchanged} answered "unchanged", ${r.failed} failed)`;

/**
 * Polls fleet.overview until every named node is up. A failed request is tried
 * again: while the dashboard digests a big snapshot its event loop stalls, and
 * a kept-alive connection it timed out meanwhile is reset under the next request.
 */
async function waitUntilUp(session: DashboardSession, names: readonly string[], timeoutMs = 300_000): Promise<number> {
  const start = performance.now();
  let last = "no answer yet";
  for (;;) {
    try {
      const { rows } = await session.query<Overview>("fleet.overview");
      const up = new Set(rows.filter((r) => r.status === "up").map((r) => r.name));
      if (names.every((n) => up.has(n))) return performance.now() - start;
      const behind = rows.find((r) => names.includes(r.name) && r.status !== "up");
      last = `${names.filter((n) => up.has(n)).length} of ${names.length} up${behind ? `, ${behind.name} is ${behind.status}` : ""}`;
    } catch (error) {
      last = (error as Error).message;
    }
    if (performance.now() - start > timeoutMs) throw new Error(`the recorded agents were not all up in the dashboard after ${timeoutMs} ms: ${last}`);
    await sleep(250);
  }
}

/** 200 nodes of 110 pods each (by default), every one node1 of the recorded VXLAN lab renumbered, and one node of ~5,000 topology elements for the browser. */
function recordedFleet(nodes: number, pods: number): { fleet: NodeSnapshot[]; big: NodeSnapshot } {
  if (pods > 250) throw new Error(`--pods ${pods}: a node's pods get addresses from its /24, so at most 250`);
  const recorded = NodeSnapshot.array().parse(JSON.parse(readFileSync(`${repoRoot}packages/core/test/fixtures/fleet-vxlan.json`, "utf8")));
  const renumbered = syntheticFleet(recorded, nodes + 1);
  const fleet = renumbered.slice(0, nodes).map((node, k) => scalePods(node, pods, (i) => `10.244.${k}.${i + 2}`));
  // Its pods do not fit a /24: they take 10.245.0.0/16, outside the node's pod subnet; only the topology reads it.
  const big = scalePods(renumbered[nodes]!, TOPOLOGY_PODS, (i) => `10.245.${(i + 2) >> 8}.${(i + 2) & 255}`);
  return { fleet, big };
}

async function measureServer(server: DashboardServer, session: DashboardSession, nodes: number, pods: number, runs: number): Promise<void> {
  const health = await timeGet("baseline: GET /api/health", `${server.url}/api/health`, session.cookie, runs);
  const page = await timeGet("GET / (the fleet page's HTML)", `${server.url}/`, session.cookie, runs);
  const overview = await timeGet("GET fleet.overview (the fleet page's data)", `${server.url}/api/trpc/fleet.overview`, session.cookie, runs);
  const title = `the fleet page's server work, ${nodes} nodes of ${pods} pods, signed in, median of ${runs}`;
  console.log(formatRatios(`\n${title}: time to first byte`, [health.ttfb, page.ttfb, overview.ttfb]));
  console.log(formatRatios(`\n${title}: to the last byte`, [health.total, page.total, overview.total]));
}

async function measureBrowser(browser: Browser, server: DashboardServer, session: DashboardSession, nodes: number, big: NodeSnapshot, runs: number): Promise<void> {
  const bigName = big.node;
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.addInitScript(RECORD_LONG_TASKS);
  const [name, value] = session.cookie.split("=") as [string, string];
  await context.addCookies([{ name, value, url: server.url }]);
  const page = await context.newPage();
  const login = await timeRender("baseline: the sign-in page", page, `${server.url}/login`, `!!document.querySelector("input[name=password]")`, runs);
  const fleet = await timeRender(`the fleet page, ${nodes} rows`, page, `${server.url}/`, `document.querySelectorAll("tr[data-node]").length === ${nodes}`, runs);
  const topology = await timeRender(`the topology of ${bigName}`, page, `${server.url}/topology?node=${bigName}`, TOPOLOGY_RENDERED, runs);
  const longestLoadTask = await longestTaskSoFar(page);
  const [counts, renderer] = (await page.evaluate(`[document.querySelector(".toolbar .muted")?.textContent ?? "", document.querySelector(".topology-webgl") ? "WebGL, sigma.js" : "React Flow, " + document.querySelectorAll(".react-flow__node").length + " nodes in the DOM"]`)) as [string, string];
  topology.label += ` (${counts}; ${renderer})`;
  console.log(formatRatios(`\nChromium (headless, ${browser.version()}): navigation to rendered, median of ${runs}`, [login, fleet, topology]));
  console.log(`  longest main-thread task while the last topology load ran: ${longestLoadTask.toFixed(0)} ms`);
  const [pod, other] = [big.pods.at(-1), big.pods[0]];
  if (!pod || !other) throw new Error(`${bigName} has no pods to search for`);
  const interactions = [
    await timeZoomAndPan(page, "10 wheel zooms and a drag"),
    await timeSearchFocus(page, pod.name, pod.name, `find and focus ${pod.name}`),
  ];
  // Checked after the timings are printed, so that a failure still leaves the numbers.
  const clicked = await checkClickSelects(page, pod.name, other.name).then(() => undefined, (error: Error) => error);
  interactions.push(await timeZoomAndPan(page, "10 wheel zooms and a drag, zoomed in"));
  console.log(formatInteractions(`\nChromium: interacting with the topology of ${bigName} (wall time, worst gap between frames, longest main-thread task)`, interactions));
  if (clicked) throw clicked;
  console.log(`  a click on the centred ${pod.name} selected it (its details stayed after finding ${other.name})`);
  await context.close();
}

/**
 * Issue 7's benchmark: the production dashboard over `nodes` recorded agents
 * of `pods` pods each (the real agent router on 127.0.0.1, one port per node),
 * its fleet page's server work against /api/health, and in Chromium the
 * topology of a ~5,000-element node (added in the UI's way, after the fleet
 * rows) against the sign-in page. Everything it starts is ended in the end,
 * also on failure or on SIGINT/SIGTERM.
 */
export async function dashboardBenchmark(options: { nodes: number; pods: number; runs: number }): Promise<void> {
  const { nodes, pods, runs } = options;
  const { fleet, big } = recordedFleet(nodes, pods);
  const dataDir = mkdtempSync(join(tmpdir(), "netatlas-bench-dashboard-"));
  let agents: RecordedAgents | undefined;
  let server: DashboardServer | undefined;
  let browser: Browser | undefined;
  const cleanUp = async () => {
    await browser?.close().catch((error: Error) => console.error(`bench: closing Chromium: ${error.message}`));
    await server?.stop();
    await agents?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => void cleanUp().finally(() => process.kill(process.pid, signal));
  process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
  try {
    agents = await startRecordedAgents([...fleet, big]);
    const fleetAgents = agents.agents.slice(0, nodes);
    const bigAgent = agents.agents[nodes] as RecordedAgent;
    console.log(`${nodes} recorded agents on 127.0.0.1 (${(JSON.stringify(fleet[0]).length / 1024).toFixed(0)} KiB snapshot each) and ${bigAgent.name} with ${TOPOLOGY_PODS} pods (${(JSON.stringify(big).length / 1e6).toFixed(1)} MB)`);
    server = await startDashboard({
      NETATLAS_AGENTS: JSON.stringify(fleetAgents),
      NETATLAS_DATA_DIR: dataDir,
      NETATLAS_ADMIN_PASSWORD: PASSWORD,
      NETATLAS_POLL_INTERVAL_MS: String(POLL_INTERVAL_MS),
    });
    const session = await DashboardSession.signIn(server.url, PASSWORD);
    const upMs = await waitUntilUp(session, fleetAgents.map((a) => a.name));
    await waitUntilIdle(server.pid);
    console.log(`dashboard ${server.url} (PID ${server.pid}, PGlite in ${dataDir}): all ${nodes} nodes up ${(upMs / 1000).toFixed(1)} s after sign-in, ${agents.served()} polls answered; polls every ${POLL_INTERVAL_MS / 1000} s`);
    const firstRound = await nextPollRound(server.url, null, POLL_INTERVAL_MS);
    await measureServer(server, session, nodes, pods, runs);
    const quietRound = await nextPollRound(server.url, firstRound, 2 * POLL_INTERVAL_MS);
    console.log(`\npoll rounds of ${nodes} nodes of ${pods} pods:\n  first (every agent sends its snapshot)   ${describeRound(firstRound)}\n  next (nothing changed on any node)       ${describeRound(quietRound)}`);

    await session.mutate("nodes.add", bigAgent);
    await waitUntilUp(session, [bigAgent.name]);
    await waitUntilIdle(server.pid);
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox"] });
    const servedBefore = agents.served();
    await measureBrowser(browser, server, session, nodes + 1, big, runs);
    console.log(`  (the dashboard polled the agents ${agents.served() - servedBefore} times, ${((agents.served() - servedBefore) / (nodes + 1)).toFixed(1)} rounds of the fleet, while Chromium was timed)`);
  } catch (error) {
    if (server) console.error(`bench: the dashboard's last output:\n${server.log().trim()}`);
    throw error;
  } finally {
    process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
    await cleanUp();
  }
}
