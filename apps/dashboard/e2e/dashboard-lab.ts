import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { uniquePrefix } from "@netatlas/linux/testing";
import { chromium, type Browser, type Page } from "playwright-core";
import { buildIfStale, startDashboard, type DashboardServer } from "./dashboard-server";
import { labDown, labUp, type Lab } from "./lab-cli";

/** What an e2e file runs against: a lab, the production dashboard over its agents, and Chromium. */
export interface DashboardLab {
  lab: Lab;
  server: DashboardServer;
  browser: Browser;
  page: Page;
  dataDir: string;
}

export interface DashboardLabOptions {
  /** Names the lab (a unique prefix is made from it) and the data dir. */
  prefix: string;
  lab: Parameters<typeof labUp>[1];
  /** The dashboard's environment besides its agents and data dir (passwords, poll interval). */
  env: Record<string, string>;
}

/**
 * Builds the app (if stale) while the lab comes up, then starts the dashboard and
 * Chromium. `parts` is filled as each piece exists, so `tearDownDashboardLab`
 * removes whatever came up, also when a later step failed.
 */
export async function setUpDashboardLab(parts: Partial<DashboardLab>, options: DashboardLabOptions): Promise<DashboardLab> {
  parts.dataDir = mkdtempSync(join(tmpdir(), `netatlas-dash-${options.prefix}-`));
  // Both at once, but wait for both even when one fails: a lab that came up must be known to the tear-down.
  const [built, up] = await Promise.allSettled([buildIfStale(), labUp(uniquePrefix(options.prefix), options.lab)]);
  if (up.status === "rejected") throw up.reason;
  const lab = (parts.lab = up.value);
  if (built.status === "rejected") throw built.reason;
  parts.server = await startDashboard({
    NETATLAS_AGENTS: JSON.stringify(lab.agents.map((a) => ({ name: a.name, url: a.url, token: lab.tokens.read, adminToken: lab.tokens.admin }))),
    NETATLAS_DATA_DIR: parts.dataDir,
    ...options.env,
  });
  parts.browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox"] });
  parts.page = await parts.browser.newPage({ viewport: { width: 1400, height: 900 } });
  return parts as DashboardLab;
}

export async function tearDownDashboardLab(parts: Partial<DashboardLab>): Promise<void> {
  await parts.browser?.close().catch(() => undefined);
  await parts.server?.stop();
  await labDown(parts.lab);
  if (parts.dataDir) rmSync(parts.dataDir, { recursive: true, force: true });
}
