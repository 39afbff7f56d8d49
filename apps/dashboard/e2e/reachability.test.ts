import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { setUpDashboardLab, tearDownDashboardLab, type DashboardLab } from "./dashboard-lab";
import { labFault } from "./lab-cli";

const ARTIFACTS = fileURLToPath(new URL("./artifacts/", import.meta.url));
const PASSWORD = "e2e-reachability-password";
const POLL_MS = 1_000;
const STEP_MS = 60_000;
/** The colours the heat map draws delivered and failed cells in (fleet/reachability-view.ts). */
const GREEN = "47,125,74";
const RED = "224,65,60";

/** The colour at the centre of the cell (from, to), read off the canvas the page drew. */
async function cellColour(page: Page, from: string, to: string): Promise<string> {
  return page.getByTestId("heatmap").evaluate(
    (canvas, pair) => {
      const c = canvas as HTMLCanvasElement;
      const nodes = (c.dataset.nodes ?? "").split(" ");
      const [cell, left, top] = [Number(c.dataset.cell), Number(c.dataset.left), Number(c.dataset.top)];
      const ratio = c.width / c.clientWidth;
      const [x, y] = [(left + nodes.indexOf(pair.to) * cell + cell / 2) * ratio, (top + nodes.indexOf(pair.from) * cell + cell / 2) * ratio];
      return Array.from(c.getContext("2d")!.getImageData(x, y, 1, 1).data.slice(0, 3)).join(",");
    },
    { from, to },
  );
}

/** Clicks the cell (from, to) where a person would. */
async function clickCell(page: Page, from: string, to: string): Promise<void> {
  const canvas = page.getByTestId("heatmap");
  const [nodes, cell, left, top] = await Promise.all([canvas.getAttribute("data-nodes"), canvas.getAttribute("data-cell"), canvas.getAttribute("data-left"), canvas.getAttribute("data-top")]);
  const order = (nodes ?? "").split(" ");
  await canvas.click({ position: { x: Number(left) + (order.indexOf(to) + 0.5) * Number(cell), y: Number(top) + (order.indexOf(from) + 0.5) * Number(cell) } });
}

/**
 * The Reachability page in Chromium against a 3-node VXLAN lab: every pair delivered;
 * node1 loses its route to node2's pods, and both of their cells turn red within a poll
 * interval while node3's stay green; a click shows the trace with the missing route as
 * its verdict and the hop that decided it; a real probe agrees. Everything it makes is
 * removed in afterAll, also on failure.
 */
describe("the Reachability page against a lab", () => {
  const parts: Partial<DashboardLab> = {};
  let page: Page;
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `reachability-${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    ({ page } = await setUpDashboardLab(parts, { prefix: "reach", lab: { nodes: 3, pods: 1, dockerNodes: 0 }, env: { NETATLAS_ADMIN_PASSWORD: PASSWORD, NETATLAS_POLL_INTERVAL_MS: String(POLL_MS) } }));
    await page.goto(`${parts.server!.url}/login?next=/reachability`);
    await page.fill("input[name=password]", PASSWORD);
    await page.click("button[type=submit]");
    await page.waitForURL(/\/reachability/);
  }, 900_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === "fail" && parts.page) await shot(`failed-${task.name.slice(0, 40).replace(/\W+/g, "-")}`);
  });

  afterAll(() => tearDownDashboardLab(parts), 180_000);

  it("draws every pair of the lab delivered, with the fabric it inferred", async () => {
    await expect.poll(() => page.getByTestId("reachability-summary").textContent().catch(() => ""), { timeout: 30_000 }).toMatch(/^0 of 6 node pairs fail/);
    expect(await page.getByTestId("heatmap").getAttribute("data-nodes")).toBe("node1 node2 node3");
    for (const [from, to] of [["node1", "node2"], ["node2", "node1"], ["node1", "node3"], ["node3", "node2"]] as const) expect(await cellColour(page, from, to), `${from} -> ${to}`).toBe(GREEN);
    expect(await page.getByTestId("fabric").locator("tr[data-node=node2]").textContent()).toMatch(/10\.244\.\d+\.0\/24 inferred from/);
    await shot("healthy");
  }, STEP_MS);

  it("turns node1's and node2's cells red within a poll interval of a deleted route, and leaves node3's green", async () => {
    const started = Date.now();
    await labFault(parts.lab!, "delete-route", "node1");
    const faulted = Date.now();
    await expect.poll(() => cellColour(page, "node1", "node2"), { timeout: 15_000, interval: 100 }).toBe(RED);
    const shownMs = Date.now() - faulted;
    console.log(`delete-route: the cell was red ${shownMs} ms after the fault (${faulted - started} ms to inject it), poll interval ${POLL_MS} ms`);
    // The agent's event brings node1's poll forward; the page asks once a poll interval: red within about two of them.
    expect(shownMs).toBeLessThan(3 * POLL_MS);
    await expect.poll(() => cellColour(page, "node2", "node1"), { timeout: 5_000 }).toBe(RED);
    for (const [from, to] of [["node1", "node3"], ["node3", "node1"], ["node2", "node3"], ["node3", "node2"]] as const) expect(await cellColour(page, from, to), `${from} -> ${to}`).toBe(GREEN);
    expect(await page.getByTestId("reachability-summary").textContent()).toMatch(/^2 of 6 node pairs fail/);
    expect(await page.locator("[data-testid=problem-pairs] tr[data-pair]").evaluateAll((rows) => rows.map((r) => `${r.getAttribute("data-pair")} ${r.getAttribute("data-state")}`))).toEqual(["node1>node2 failed", "node2>node1 failed"]);
    await shot("delete-route");
  }, STEP_MS);

  it("shows a clicked cell's trace with the missing route and the hop that decided it", async () => {
    await clickCell(page, "node1", "node2");
    const pair = page.getByTestId("pair");
    await expect.poll(() => pair.getByTestId("pair-message").textContent({ timeout: 10_000 })).toMatch(/^failed node1 has no route to 10\.244\.\d+\.0\/24 \(node2's pods\)/);
    expect(await pair.getByTestId("deciding-hop").textContent()).toMatch(/^Decided on the request's way at node1, host: /);
    const path = pair.locator("[data-path=Path]");
    expect(await path.getByTestId("verdict").textContent()).toMatch(/^no-route node1 has no route/);
    expect(await path.locator("tr.decided").count()).toBe(1);
    // The path on the topology: node1's pod and host lit, the deciding hop in the verdict's colour.
    await expect.poll(() => path.locator(".react-flow__node.on-path").count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    expect(page.url()).toMatch(/from=node1&to=node2$/);
    await shot("pair");
  }, STEP_MS);

  it("verifies the cell with a real probe from node1's pod, which agrees: no reply", async () => {
    await page.getByRole("button", { name: "Verify node1 → node2" }).click();
    const probe = page.getByTestId("pair-probe");
    await expect.poll(() => probe.getAttribute("data-mark", { timeout: 15_000 }), { timeout: 15_000 }).toBe("agree");
    expect(await probe.textContent()).toMatch(/no reply \(2 sent\) — agrees state says failed and the probe \(icmp\) got 0 of 2 replies/);
    expect(await page.getByTestId("verify-tally").textContent()).toMatch(/^Probed: 1 agree, 0 disagree/);
    // The row: node1 reaches node3 and not node2, and the probes say the same.
    await page.getByRole("button", { name: "Verify row node1" }).click();
    await expect.poll(() => page.getByTestId("verify-tally").textContent(), { timeout: 15_000 }).toMatch(/^Probed: 2 agree, 0 disagree/);
    await shot("verified");
  }, STEP_MS);
});
