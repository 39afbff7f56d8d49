import { randomBytes } from "node:crypto";

/** A token for a dashboard's /metrics (NETATLAS_METRICS_TOKEN), made for one run. */
export const metricsToken = () => randomBytes(24).toString("hex");

/** What the dashboard says of itself over a stretch: its streams that failed and were reopened, and its event loop's longest delay. */
export interface DashboardHealthOver {
  streamFailures: number;
  eventLoopMaxMs: number;
}

const sumOf = (text: string, name: string) =>
  text
    .split("\n")
    .filter((line) => line.startsWith(name))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(" ") + 1)), 0);

async function scrape(url: string, token: string): Promise<string> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET ${url}/metrics: HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`);
  return res.text();
}

/**
 * Runs `work` between two scrapes of the dashboard's metrics: the first starts the event
 * loop's delay anew (prom-client resets it at each scrape), the second says what happened.
 */
export async function dashboardHealthOver<T>(url: string, token: string, work: () => Promise<T>): Promise<{ value: T; health: DashboardHealthOver }> {
  const before = await scrape(url, token);
  const value = await work();
  const after = await scrape(url, token);
  const failures = (text: string) => sumOf(text, "netatlas_dashboard_stream_failures_total");
  return { value, health: { streamFailures: failures(after) - failures(before), eventLoopMaxMs: sumOf(after, "netatlas_dashboard_nodejs_eventloop_lag_max_seconds") * 1000 } };
}
