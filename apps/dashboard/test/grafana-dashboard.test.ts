import { readFileSync } from "node:fs";
import { collectDefaultMetrics, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { DashboardMetrics } from "../src/server/metrics/dashboard-metrics";

const repo = (path: string) => new URL(`../../../${path}`, import.meta.url);

/** The series names a metric of a type exposes, and its label names. */
interface Exported {
  series: string[];
  labels: string[];
}

const seriesOf = (name: string, type: string): string[] =>
  type === "histogram" ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : type === "summary" ? [name, `${name}_sum`, `${name}_count`] : [name];

function exportedBy(registry: Registry): Exported[] {
  return registry.getMetricsAsArray().map((m) => {
    const { name, type, labelNames } = m as unknown as { name: string; type: string; labelNames: string[] };
    return { series: seriesOf(name, type), labels: [...labelNames, ...(type === "histogram" ? ["le"] : []), ...(type === "summary" ? ["quantile"] : [])] };
  });
}

/**
 * The agent's metrics, read from its source (apps/agent is not imported by the dashboard):
 * each `new Counter|Gauge|Histogram|Summary({ name: "…", … labelNames: [...] })`, and the
 * default process metrics under the prefix it gives collectDefaultMetrics.
 */
function agentExports(): Exported[] {
  const source = readFileSync(repo("apps/agent/src/serve/metrics.ts"), "utf8");
  const own = [...source.matchAll(/new (Counter|Gauge|Histogram|Summary)\(\{ name: "([^"]+)"([^\n]*)/g)].map(([, type, name, rest]) => ({
    series: seriesOf(name as string, (type as string).toLowerCase()),
    labels: [...(/labelNames: \[([^\]]*)\]/.exec(rest as string)?.[1]?.matchAll(/"([^"]+)"/g) ?? [])].map((l) => l[1] as string).concat(type === "Histogram" ? ["le"] : []),
  }));
  const prefix = /collectDefaultMetrics\(\{[^}]*prefix: "([^"]+)"/.exec(source)?.[1];
  if (!own.length || !prefix) throw new Error("apps/agent/src/serve/metrics.ts no longer declares its metrics as this test reads them; update the test");
  const defaults = new Registry();
  collectDefaultMetrics({ register: defaults, prefix });
  return [...own, ...exportedBy(defaults)];
}

interface Query {
  panel: string;
  expr: string;
}

function queries(dashboard: { panels: { title: string; targets?: { expr: string }[]; panels?: unknown[] }[] }): Query[] {
  return dashboard.panels.flatMap((p) => [...(p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })), ...queries({ panels: (p.panels ?? []) as typeof dashboard.panels })]);
}

const PROMQL_WORDS = new Set(["sum", "max", "min", "avg", "count", "by", "without", "rate", "increase", "irate", "histogram_quantile", "sort_desc", "sort", "topk", "bottomk", "abs", "e"]);
/** Labels Prometheus adds to every scraped series. */
const TARGET_LABELS = ["instance", "job"];

describe("the Grafana dashboard (deploy/grafana/netatlas.json)", () => {
  const dashboard = JSON.parse(readFileSync(repo("deploy/grafana/netatlas.json"), "utf8"));
  const dashboardMetrics = new DashboardMetrics({ nodes: () => [], pollIntervalMs: 5_000 });
  const exported = [...exportedBy(dashboardMetrics.registry), ...agentExports()];
  const bySeries = new Map(exported.flatMap((e) => e.series.map((s) => [s, e])));
  const all = queries(dashboard);

  it("queries only series that the dashboard or the agent export, with their labels", () => {
    expect(all.length).toBeGreaterThan(10);
    for (const { panel, expr } of all) {
      const names = [...expr.replace(/"[^"]*"/g, "").matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)].map((m) => m[0]).filter((w) => !PROMQL_WORDS.has(w) && !/^\d/.test(w));
      const metrics = names.filter((n) => n.startsWith("netatlas_"));
      expect(metrics.length, `${panel}: ${expr} names no netatlas metric`).toBeGreaterThan(0);
      for (const name of metrics) expect(bySeries.has(name), `${panel}: ${name} is exported by neither the dashboard nor the agent`).toBe(true);
      const labels = new Set([...TARGET_LABELS, ...metrics.flatMap((n) => bySeries.get(n)?.labels ?? [])]);
      const used = [...expr.matchAll(/\b(?:by|without) \(([^)]*)\)/g)].flatMap((m) => (m[1] as string).split(",").map((l) => l.trim())).concat([...expr.matchAll(/([a-zA-Z_]+)=~?"/g)].map((m) => m[1] as string));
      for (const label of used) expect(labels.has(label), `${panel}: ${expr} uses the label "${label}", which none of its metrics has`).toBe(true);
    }
  });

  it("draws the dashboard's own metrics and the agent's", () => {
    const text = all.map((q) => q.expr).join("\n");
    for (const name of ["netatlas_dashboard_poll_duration_seconds_bucket", "netatlas_dashboard_nodes", "netatlas_dashboard_findings", "netatlas_dashboard_apply_jobs_total", "netatlas_dashboard_reachability_failures", "netatlas_snapshot_duration_seconds_bucket", "netatlas_events_total"]) expect(text).toContain(name);
  });

  it("asks which Prometheus to use instead of naming one", () => {
    expect(JSON.stringify(dashboard.panels)).not.toMatch(/"uid":"(?!\$\{datasource\})/);
    expect(dashboard.templating.list).toContainEqual(expect.objectContaining({ name: "datasource", type: "datasource", query: "prometheus" }));
  });
});
