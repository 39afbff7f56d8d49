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

/** In the page: React Flow has drawn measured nodes after fitView zoomed out to the whole graph. */
const TOPOLOGY_RENDERED = `(() => {
  const node = document.querySelector(".react-flow__node");
  const viewport = document.querySelector(".react-flow__viewport");
  return !!node && !!viewport && getComputedStyle(node).visibility !== "hidden" && new DOMMatrix(getComputedStyle(viewport).transform).a < 1;
})()`;

type Overview = { rows: { name: string; status: string }[] };

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

async function measureBrowser(browser: Browser, server: DashboardServer, session: DashboardSession, nodes: number, bigName: string, runs: number): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const [name, value] = session.cookie.split("=") as [string, string];
  await context.addCookies([{ name, value, url: server.url }]);
  const page = await context.newPage();
  const login = await timeRender("baseline: the sign-in page", page, `${server.url}/login`, `!!document.querySelector("input[name=password]")`, runs);
  const fleet = await timeRender(`the fleet page, ${nodes} rows`, page, `${server.url}/`, `document.querySelectorAll("tr[data-node]").length === ${nodes}`, runs);
  const topology = await timeRender(`the topology of ${bigName}`, page, `${server.url}/topology?node=${bigName}`, TOPOLOGY_RENDERED, runs);
  const counts = await page.evaluate(`[document.querySelector(".toolbar .muted")?.textContent ?? "", document.querySelectorAll(".react-flow__node").length, document.querySelectorAll(".react-flow__edge").length]`) as [string, number, number];
  topology.label += ` (${counts[0]}; ${counts[1]} nodes and ${counts[2]} edges in the DOM)`;
  console.log(formatRatios(`\nChromium (headless, ${browser.version()}): navigation to rendered, median of ${runs}`, [login, fleet, topology]));
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
    console.log(`dashboard ${server.url} (PID ${server.pid}, PGlite in ${dataDir}): all ${nodes} nodes up ${(upMs / 1000).toFixed(1)} s after sign-in, ${agents.served()} snapshots served; polls every ${POLL_INTERVAL_MS / 1000} s`);
    await measureServer(server, session, nodes, pods, runs);

    await session.mutate("nodes.add", bigAgent);
    await waitUntilUp(session, [bigAgent.name]);
    await waitUntilIdle(server.pid);
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox"] });
    const servedBefore = agents.served();
    await measureBrowser(browser, server, session, nodes + 1, bigAgent.name, runs);
    console.log(`  (the dashboard polled ${agents.served() - servedBefore} snapshots, ${((agents.served() - servedBefore) / (nodes + 1)).toFixed(1)} rounds of the fleet, while Chromium was timed)`);
  } catch (error) {
    if (server) console.error(`bench: the dashboard's last output:\n${server.log().trim()}`);
    throw error;
  } finally {
    process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
    await cleanUp();
  }
}
