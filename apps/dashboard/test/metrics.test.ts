import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metricsEndpoint } from "../src/server/api/metrics-endpoint";
import { createApiToken } from "../src/server/auth/api-tokens";
import { createSession } from "../src/server/auth/sessions";
import { loadConfig } from "../src/server/config";
import type { NodeState } from "../src/server/fleet/node-state";
import { PEER_HEADER, tagPeerAddresses } from "../src/server/http/client-address";
import { DashboardMetrics } from "../src/server/metrics/dashboard-metrics";
import { startRuntime, type Runtime } from "../src/server/runtime";

const METRICS_TOKEN = "metrics-token-for-prometheus-0123456789";
const migrationsDir = fileURLToPath(new URL("../drizzle", import.meta.url));

const scrape = (rt: Runtime, headers: Record<string, string> = {}, peer = "127.0.0.1") => metricsEndpoint(rt, new Request("http://127.0.0.1:3000/metrics", { headers: { [PEER_HEADER]: peer, ...headers } }));
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("/metrics", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "netatlas-dash-metrics-"));
  let rt: Runtime;

  beforeAll(async () => {
    tagPeerAddresses();
    const config = loadConfig({ NETATLAS_DATA_DIR: dataDir, NETATLAS_ADMIN_PASSWORD: "metrics-test-password", NETATLAS_METRICS_TOKEN: METRICS_TOKEN, NETATLAS_POLL_INTERVAL_MS: "500", NETATLAS_AGENT_TIMEOUT_MS: "200", NETATLAS_AGENTS: JSON.stringify([{ name: "gone", url: `unix:${dataDir}/gone.sock` }]) });
    rt = await startRuntime(config, { migrationsDir });
  }, 30_000);

  afterAll(async () => {
    await rt?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("serves Prometheus's text format to the metrics token: nodes by status, polls per agent, apply jobs, reachability", async () => {
    // Its stream fails at once; the fallback poll at the next interval fails too.
    await expect.poll(async () => (await (await scrape(rt, bearer(METRICS_TOKEN))).text()).match(/poll_duration_seconds_count\{node="gone",outcome="failed"\}/), { timeout: 5_000 }).toBeTruthy();
    const response = await scrape(rt, bearer(METRICS_TOKEN));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain('netatlas_dashboard_nodes{status="down"} 1');
    expect(text).toContain('netatlas_dashboard_nodes{status="up"} 0');
    expect(text).toMatch(/netatlas_dashboard_poll_duration_seconds_count\{node="gone",outcome="failed"\} [1-9]/);
    expect(text).toMatch(/netatlas_dashboard_stream_failures_total\{node="gone"\} [1-9]/);
    expect(text).toContain('netatlas_dashboard_apply_jobs_total{result="succeeded"} 0');
    expect(text).toContain("netatlas_dashboard_reachability_failures 0");
    expect(text).toContain("netatlas_dashboard_process_resident_memory_bytes");
    rt.metrics.setReachabilityFailures(3);
    expect(await (await scrape(rt, bearer(METRICS_TOKEN))).text()).toContain("netatlas_dashboard_reachability_failures 3");
  });

  it("lets anyone signed in read it too (a session, an API token), and nobody else", async () => {
    const { token: session } = await createSession(rt.database.db, { user: "viewer", role: "viewer" });
    expect((await scrape(rt, { cookie: `netatlas_session=${session}` })).status).toBe(200);
    const { token } = await createApiToken(rt.database.db, "viewer", { name: "grafana-agent", role: "viewer", expiresAt: null });
    expect((await scrape(rt, bearer(token))).status).toBe(200);
    const anonymous = await scrape(rt);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toBe("Bearer");
    expect(await anonymous.text()).toMatch(/^metrics: sign in first .*Prometheus sends Authorization: Bearer <NETATLAS_METRICS_TOKEN>/);
  });

  it("counts wrong tokens against the address like wrong passwords: after 5 even the right one waits (429)", async () => {
    for (let i = 0; i < 5; i++) expect((await scrape(rt, bearer(`guess-${i}-${"x".repeat(32)}`), "10.5.0.1")).status).toBe(401);
    const refused = await scrape(rt, bearer(METRICS_TOKEN), "10.5.0.1");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(50);
    expect((await scrape(rt, bearer(METRICS_TOKEN), "10.5.0.2")).status).toBe(200);
  });
});

describe("/metrics without NETATLAS_METRICS_TOKEN", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "netatlas-dash-metrics-off-"));
  let rt: Runtime;

  beforeAll(async () => {
    rt = await startRuntime(loadConfig({ NETATLAS_DATA_DIR: dataDir, NETATLAS_ADMIN_PASSWORD: "metrics-test-password" }), { migrationsDir });
  }, 30_000);

  afterAll(async () => {
    await rt?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers 404 and says how to turn it on", async () => {
    const response = await scrape(rt, bearer(METRICS_TOKEN));
    expect(response.status).toBe(404);
    expect(await response.text()).toBe("metrics are off: set NETATLAS_METRICS_TOKEN (at least 32 characters) and scrape /metrics with Authorization: Bearer <that token>\n");
  });

  it("refuses a metrics token too short to be one", () => {
    expect(() => loadConfig({ NETATLAS_METRICS_TOKEN: "short" })).toThrow("NETATLAS_METRICS_TOKEN: NETATLAS_METRICS_TOKEN needs at least 32 characters (e.g. openssl rand -base64 32)");
  });
});

describe("the dashboard's metrics", () => {
  it("count the findings the nodes have now by code and severity, and drop a code that is gone", async () => {
    const finding = (code: string, severity: "warning" | "error") => ({ code, severity, message: code, subjects: [] });
    let findings = [finding("mtu-mismatch", "warning"), finding("mtu-mismatch", "warning"), finding("pod-sandbox-dead", "error")];
    const node = (): NodeState => ({ target: { name: "node1", url: "unix:/run/agent.sock", source: "config" }, findings, events: [], inFlight: false });
    const metrics = new DashboardMetrics({ nodes: () => [node()], pollIntervalMs: 500 });
    const text = await metrics.registry.metrics();
    expect(text).toContain('netatlas_dashboard_findings{code="mtu-mismatch",severity="warning"} 2');
    expect(text).toContain('netatlas_dashboard_findings{code="pod-sandbox-dead",severity="error"} 1');
    findings = [];
    expect(await metrics.registry.metrics()).not.toContain('code="mtu-mismatch"');
  });
});
