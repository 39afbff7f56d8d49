import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { uniquePrefix } from "@netatlas/linux/testing";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startDemo, type Demo } from "./demo-script";
import { buildIfStale, freePort } from "./dashboard-server";
import { labFault } from "./lab-cli";

const ARTIFACTS = fileURLToPath(new URL("./artifacts/", import.meta.url));
const PASSWORD = "e2e-demo-password";
const STEP_MS = 90_000;

/**
 * The README's main job end to end: `tools/run/demo.sh` itself (its own lab of
 * three VXLAN nodes, one of them a Docker host, and the dashboard over their
 * agents), then a person's walk through the pages in Chromium: adopt the running
 * fabric as the fleet spec, plan, apply, break a route, see the drift, repair it,
 * and check a cross-node path with a real probe. The demo's process group, lab and
 * data dir are removed in afterAll, also when a step failed.
 */
describe("the demo (tools/run/demo.sh) through the pages", () => {
  let demo: Demo | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const url = (path: string) => `${demo!.url}${path}`;
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `demo-${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // demo.sh serves whatever is built: build first (the demo skips setup, which would build the whole workspace).
    await buildIfStale();
    demo = await startDemo({ prefix: uniquePrefix("demo"), port: await freePort(), adminPassword: PASSWORD, env: { NETATLAS_POLL_INTERVAL_MS: "1000" } }, 600_000);
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox"] });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  }, 1_500_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === "fail" && browser) {
      await shot(`failed-${task.name.slice(0, 40).replace(/\W+/g, "-")}`);
      console.log(`demo.sh output:\n${demo?.output().slice(-8000)}`);
    }
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await demo?.stop();
  }, 180_000);

  it("signs in with the admin password and shows the lab's three nodes up, with the demo's faults to try", async () => {
    await page.goto(url("/"));
    await page.waitForURL(/\/login/);
    await page.fill("input[name=password]", PASSWORD);
    await page.click("button[type=submit]");
    await page.waitForURL(url("/"));
    await expect.poll(() => page.locator("tr[data-node] td:nth-child(2)").allTextContents(), { timeout: 30_000 }).toEqual(["up", "up", "up"]);
    expect(await page.locator("[data-testid=demo-hints] tr[data-fault=delete-route]").textContent()).toContain(`fault delete-route --prefix ${demo!.prefix}`);
    await shot("fleet");
  }, STEP_MS);

  it("saves the running VXLAN fabric as the first spec, with the fleet's nodes added from their agents", async () => {
    await page.goto(url("/spec"));
    await page.getByRole("button", { name: "Add from the fleet (node1, node2, node3)" }).click({ timeout: 30_000 });
    expect(await page.inputValue("input[name='nodes.2.underlayIp']")).toBe("192.168.50.13");
    await page.selectOption("select[name='backend.type']", "vxlan");
    await page.getByRole("button", { name: "Save the first version" }).click();
    await page.waitForURL(/\/spec\?version=1$/);
    await shot("spec");
  }, STEP_MS);

  it("plans every node against the spec: the lab already runs it, so no node needs a change", async () => {
    await page.goto(url("/plans"));
    await page.getByRole("button", { name: "Plan against the newest spec" }).click();
    await page.waitForURL(/\/plans\?set=\d+$/);
    for (const node of ["node1", "node2", "node3"]) {
      const card = page.locator(`[data-plan-node=${node}][data-plan-status=planned]`);
      await card.waitFor({ timeout: 30_000 });
      expect(await card.textContent()).toContain("no change needed");
      expect(await card.getByTestId("plan-hash").textContent()).toMatch(/^[0-9a-f]{64}$/);
    }
    await shot("plans");
  }, STEP_MS);

  it("applies in waves after confirmation, and the cross-node probes pass", async () => {
    await page.getByRole("button", { name: "Apply all in waves…" }).click();
    expect(await page.getByRole("dialog", { name: "Confirm apply" }).textContent()).toContain("in waves: node1 first, then node2, node3");
    await page.getByRole("button", { name: "Confirm apply" }).click();
    await expect.poll(() => page.getByTestId("job-status").textContent(), { timeout: 60_000 }).toBe("succeeded");
    expect(await page.getByTestId("job-message").textContent()).toMatch(/^3 node\(s\) applied in \d+ wave\(s\); [1-9]\d* cross-node probe\(s\) passed$/);
    await shot("applied");
  }, STEP_MS);

  it("shows a route deleted by the lab's fault as node1's drift, and repairs it from the drift view", async () => {
    await page.goto(url("/drift"));
    await page.locator("tr[data-drift-node=node1]", { hasText: "matches its intent" }).waitFor({ timeout: 15_000 });
    await labFault(demo!, "delete-route", "node1");
    const row = page.locator("tr[data-drift-node=node1][data-drifting=true]");
    await row.waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toContain("10.244.1.0/24");
    await shot("drift");
    await row.getByRole("button", { name: "Repair…" }).click();
    await page.getByRole("heading", { name: /^Repair of node1/ }).waitFor({ timeout: 30_000 });
    expect(await page.locator("[data-plan-node=node1]").textContent()).toContain("10.244.1.0/24");
    await page.getByRole("button", { name: "Repair…" }).click();
    await page.getByRole("button", { name: "Confirm apply" }).click();
    await expect.poll(() => page.getByTestId("job-status").textContent(), { timeout: 60_000 }).toBe("succeeded");
    await page.goto(url("/drift"));
    await page.locator("tr[data-drift-node=node1]", { hasText: "matches its intent" }).waitFor({ timeout: 15_000 });
    await shot("repaired");
  }, STEP_MS);

  it("traces node1's pod to node2's pod through the VXLAN tunnel, and a real probe agrees", async () => {
    await page.goto(url("/trace"));
    await page.fill("input[name=source]", "node1-pod1");
    await page.fill("input[name=destination]", "node2-pod1");
    await page.getByRole("button", { name: "Trace" }).click();
    const forward = page.locator("[data-path=Path]");
    await expect.poll(() => forward.getByTestId("verdict").textContent(), { timeout: 15_000 }).toMatch(/^delivered /);
    expect(await forward.locator("tr[data-hop]").allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/vxlan-encap/)]));
    await page.getByRole("button", { name: "Verify" }).click();
    await expect.poll(() => page.getByTestId("agreement").textContent(), { timeout: 15_000 }).toMatch(/^agree trace says delivered and the probe \(icmp\) got [1-3] of 3 replies/);
    await shot("trace");
  }, STEP_MS);
});
