import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { setUpDashboardLab, tearDownDashboardLab, type DashboardLab } from "./dashboard-lab";
import type { DashboardServer } from "./dashboard-server";
import { labFault, type Lab } from "./lab-cli";

const ARTIFACTS = fileURLToPath(new URL("./artifacts/", import.meta.url));
const ADMIN = "e2e-admin-password";
const VIEWER = "e2e-viewer-password";
const STEP_MS = 90_000;

/**
 * Reconciling from the dashboard on a real lab whose nodes have no cross-node
 * routes (`--backend none`): a host-gw spec written in the UI, plans reviewed,
 * applied in waves and checked by real probes; a deleted route shows as drift
 * and is repaired from the UI; a viewer sees it all and can change nothing.
 */
describe("reconcile from the dashboard", () => {
  let lab: Lab | undefined;
  let server: DashboardServer | undefined;
  let browser: Browser | undefined;
  let viewer: BrowserContext | undefined;
  let page: Page;
  let stalePlanSet = 0;
  const parts: Partial<DashboardLab> = {};
  const shot = (name: string, p: Page = page) => p.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  const url = (path: string) => `${server!.url}${path}`;
  const signIn = async (p: Page, password: string) => {
    await p.goto(url("/login"));
    await p.fill("input[name=password]", password);
    await p.click("button[type=submit]");
    await p.waitForURL(url("/"));
  };
  const planSetOf = (p: Page) => Number(new URL(p.url()).searchParams.get("set"));

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    ({ lab, server, browser, page } = await setUpDashboardLab(parts, { prefix: "rec", lab: { nodes: 2, pods: 1, dockerNodes: 0, backend: "none" }, env: { NETATLAS_ADMIN_PASSWORD: ADMIN, NETATLAS_VIEWER_PASSWORD: VIEWER, NETATLAS_POLL_INTERVAL_MS: "1000" } }));
  }, 900_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === "fail" && browser) await shot(`failed-${task.name.slice(0, 40).replace(/\W+/g, "-")}`);
  });

  afterAll(async () => {
    await tearDownDashboardLab(parts);
  }, 180_000);

  it("defines a host-gw spec from the fleet's nodes, with errors next to their fields and the allocation", async () => {
    await signIn(page, ADMIN);
    await page.goto(url("/spec"));
    await page.getByRole("button", { name: "Add from the fleet (node1, node2)" }).click({ timeout: 30_000 });
    expect(await page.inputValue("input[name='nodes.1.underlayIp']")).toBe("192.168.50.12");
    await page.fill("input[name=podCidr]", "172.17.0.0/16");
    await expect.poll(() => page.locator("[data-error-for=podCidr]").textContent()).toContain("Docker's default bridge");
    await page.fill("input[name='nodes.1.underlayIp']", "10.244.9.9");
    await page.fill("input[name=podCidr]", "10.244.0.0/16");
    await expect.poll(() => page.locator("[data-error-for='nodes.1.underlayIp']").textContent()).toContain("inside the pod CIDR");
    await page.fill("input[name='nodes.1.underlayIp']", "192.168.50.12");
    await page.locator("[data-error-for]").first().waitFor({ state: "detached" });
    // The whole spec as JSON: bad JSON is named, a field core does not know is flagged as not saved.
    await page.getByRole("button", { name: "Advanced (JSON)" }).click();
    const json = page.getByRole("textbox", { name: "Spec as JSON" });
    expect(await json.inputValue()).toContain('"underlayIp": "192.168.50.12"');
    const text = await json.inputValue();
    await json.fill("{ nope");
    await expect.poll(() => page.locator(".spec-json .field-error").textContent()).toMatch(/JSON/);
    await json.fill(text.replace(/}\s*$/, ', "futureSection": {} }'));
    await page.getByTestId("spec-unknown").waitFor();
    expect(await page.getByTestId("spec-unknown").textContent()).toBe("not part of the fleet spec, so not saved: futureSection");
    await json.fill(text);
    await page.getByRole("button", { name: "Form", exact: true }).click();
    // Plain Docker hosts have no pod fabric: the box drops its fields; with no docker section either, the spec says it has neither.
    await page.uncheck("input[name=podFabric]");
    await page.locator("input[name=podCidr]").waitFor({ state: "detached" });
    await expect.poll(() => page.getByTestId("spec-errors").textContent()).toMatch(/needs a pod fabric \(podCidr and backend\), Docker networks \(docker\), or both; this spec has neither/);
    await page.check("input[name=podFabric]");
    expect(await page.inputValue("input[name=podCidr]")).toBe("10.244.0.0/16");
    const subnet = (node: string) => page.locator(`[data-testid=allocation] tr[data-node=${node}] td:nth-child(2)`).textContent();
    expect([await subnet("node1"), await subnet("node2")]).toEqual(["10.244.0.0/24", "10.244.1.0/24"]);
    await page.getByRole("button", { name: "Save the first version" }).click();
    await page.waitForURL(/\/spec\?version=1$/);
    await page.locator("[data-testid=spec-versions] tr[data-version='1']", { hasText: "podCidr: added 10.244.0.0/16" }).waitFor();
    await shot("reconcile-spec");
  }, STEP_MS);

  it("shows every node's plan op by op with its reason and hash: the routes the lab lacks", async () => {
    await page.goto(url("/plans"));
    await page.getByRole("button", { name: "Plan against the newest spec" }).click();
    await page.waitForURL(/\/plans\?set=\d+$/);
    for (const [node, peer] of [["node1", "10.244.1.0/24 via 192.168.50.12"], ["node2", "10.244.0.0/24 via 192.168.50.11"]]) {
      const card = page.locator(`[data-plan-node=${node}][data-plan-status=planned]`);
      await card.waitFor({ timeout: 30_000 });
      expect(await card.locator("tr[data-op=replace-route]").textContent()).toContain(`ip route replace ${peer} dev eth0`);
      expect(await card.getByTestId("plan-hash").textContent()).toMatch(/^[0-9a-f]{64}$/);
    }
    await shot("reconcile-plans");
  }, STEP_MS);

  it("applies in waves after confirmation, and a probe across nodes then gets replies", async () => {
    await page.getByRole("button", { name: "Apply all in waves…" }).click();
    expect(await page.getByRole("dialog", { name: "Confirm apply" }).textContent()).toContain("in waves: node1 first, then node2");
    const started = Date.now();
    await page.getByRole("button", { name: "Confirm apply" }).click();
    await expect.poll(() => page.getByTestId("job-status").textContent(), { timeout: 60_000 }).toBe("succeeded");
    console.log(`apply job (2 waves + probes) took ${Date.now() - started} ms in the browser`);
    expect(await page.locator("tr[data-job-node] td:first-child").allTextContents()).toEqual(["1", "2"]);
    expect(await page.locator("tr[data-job-node=node1]").textContent()).toContain("applied ip route replace 10.244.1.0/24 via 192.168.50.12");
    // Probes that ran are counted; none was skipped (each node has a live pod).
    expect(await page.getByTestId("job-message").textContent()).toBe("2 node(s) applied in 2 wave(s); 2 cross-node probe(s) passed");
    const checks = await page.locator("tr[data-check]").allTextContents();
    expect(checks).toEqual([expect.stringMatching(/ok \(pod\): default\/node1-pod1 -> default\/node2-pod1: [1-3] of 3 replies/), expect.stringMatching(/ok \(pod\): default\/node2-pod1 -> default\/node1-pod1: [1-3] of 3 replies/)]);
    await shot("reconcile-applied");
  }, STEP_MS);

  it("shows a deleted route as drift within seconds, with what differs and since when", async () => {
    await page.getByRole("button", { name: "Plan against the newest spec" }).click();
    await page.locator("[data-plan-node=node1]", { hasText: "no change needed" }).waitFor({ timeout: 30_000 });
    stalePlanSet = planSetOf(page);
    await page.goto(url("/drift"));
    await page.locator("tr[data-drift-node=node1]", { hasText: "matches its intent" }).waitFor({ timeout: 15_000 });
    const faulted = Date.now();
    await labFault(lab!, "delete-route", "node1");
    const row = page.locator("tr[data-drift-node=node1][data-drifting=true]");
    await row.waitFor({ timeout: 15_000 });
    console.log(`drift shown ${Date.now() - faulted} ms after the fault command returned`);
    expect(await row.textContent()).toContain("ip route replace 10.244.1.0/24 via 192.168.50.12 dev eth0");
    expect(await row.getByTestId("since").textContent()).toMatch(/ago\)$/);
    expect(await page.locator("tr[data-drift-node=node2]").textContent()).toContain("matches its intent");
    await shot("reconcile-drift");
  }, STEP_MS);

  it("refuses a plan made before the node changed, says so, and offers a fresh plan in one click", async () => {
    await page.goto(url(`/plans?set=${stalePlanSet}`));
    await page.getByRole("button", { name: "Apply node1 only…" }).click();
    await page.getByRole("button", { name: "Confirm apply" }).click();
    await expect.poll(() => page.getByTestId("job-status").textContent(), { timeout: 30_000 }).toBe("failed");
    expect(await page.locator("tr[data-job-node=node1] [data-testid=node-state]").textContent()).toMatch(/^stale.*changed since plan/);
    expect(await page.getByTestId("job-message").textContent()).toBe("node1 changed since the plan was made; plan again and review the new plan");
    await shot("reconcile-stale");
    await page.getByRole("button", { name: "Plan again", exact: true }).click();
    await expect.poll(() => planSetOf(page), { timeout: 30_000 }).toBeGreaterThan(stalePlanSet);
    await page.locator("[data-plan-node=node1] tr[data-op=replace-route]").waitFor({ timeout: 30_000 });
  }, STEP_MS);

  it("repairs the drift from the drift view with a reviewed plan, checked by probes both ways", async () => {
    await page.goto(url("/drift"));
    await page.locator("tr[data-drift-node=node1]").getByRole("button", { name: "Repair…" }).click();
    await page.getByRole("heading", { name: /^Repair of node1/ }).waitFor({ timeout: 30_000 });
    expect(await page.locator("[data-plan-node=node1] tr[data-op=replace-route]").textContent()).toContain("10.244.1.0/24 via 192.168.50.12");
    await page.getByRole("button", { name: "Repair…" }).click();
    await page.getByRole("button", { name: "Confirm apply" }).click();
    await expect.poll(() => page.getByTestId("job-status").textContent(), { timeout: 60_000 }).toBe("succeeded");
    expect(await page.locator("tr[data-check]").allTextContents()).toEqual([expect.stringMatching(/ok \(pod\): .* of 3 replies/), expect.stringMatching(/ok \(pod\): .* of 3 replies/)]);
    await shot("reconcile-repaired");
    await page.goto(url("/drift"));
    await page.locator("tr[data-drift-node=node1]", { hasText: "matches its intent" }).waitFor({ timeout: 15_000 });
    await page.selectOption("select[aria-label='Mode of node2']", "repair");
    await expect.poll(() => page.inputValue("select[aria-label='Mode of node2']"), { timeout: 15_000 }).toBe("repair");
  }, STEP_MS);

  it("lets a viewer see every page without change controls, and the API refuses their changes", async () => {
    viewer = await browser!.newContext({ viewport: { width: 1400, height: 900 } });
    const v = await viewer.newPage();
    await v.goto(url("/login"));
    await v.fill("input[name=password]", "not-a-password");
    await v.click("button[type=submit]");
    await expect.poll(() => v.locator(".field-error").textContent()).toBe("wrong password");
    await signIn(v, VIEWER);
    expect(await v.getByTestId("role").textContent()).toBe("viewer (read-only)");
    await v.goto(url("/plans"));
    await v.locator("[data-plan-node=node1]").waitFor({ timeout: 30_000 });
    expect(await v.getByRole("button", { name: /Apply|Plan against|Repair/ }).count()).toBe(0);
    await shot("reconcile-viewer-plans", v);
    await v.goto(url("/drift"));
    await v.locator("tr[data-drift-node=node2]", { hasText: "repair" }).waitFor({ timeout: 15_000 });
    expect(await v.locator("select[aria-label^='Mode of']").count()).toBe(0);
    await v.goto(url("/spec"));
    await v.locator("fieldset.spec-form[disabled]").waitFor();
    expect(await v.getByRole("button", { name: /^Save/ }).count()).toBe(0);
    // tRPC's HTTP wire format: POST a JSON body (an input-less procedure gets an empty object), from the dashboard's own origin.
    const call = (path: string, input: unknown) => v.request.post(url(`/api/trpc/${path}`), { headers: { "content-type": "application/json", origin: new URL(url("/")).origin }, data: input ?? {} });
    for (const [path, input] of [["reconcile.startApply", { planSetId: 1, confirm: true }], ["reconcile.setMode", { node: "node1", mode: "repair" }], ["reconcile.plan", undefined], ["reconcile.planRepair", { node: "node1" }], ["spec.save", { spec: {}, baseVersion: 1 }]] as const) {
      const response = await call(path, input);
      expect(response.status(), path).toBe(403);
      const { error } = (await response.json()) as { error: { message: string; data: { code: string } } };
      expect(error.data.code).toBe("FORBIDDEN");
      expect(error.message, path).toMatch(/this needs the admin role/);
    }
    expect((await v.request.get(url("/api/trpc/reconcile.drift"))).status()).toBe(200);
  }, STEP_MS);

  it("audits every step, filters the log and exports it as JSON to signed-in sessions only", async () => {
    await page.goto(url("/audit"));
    await page.locator("[data-testid=audit] tr[data-action]").first().waitFor();
    await page.selectOption("select[aria-label=Action]", "apply-succeeded");
    await page.waitForURL(/action=apply-succeeded/);
    await expect.poll(() => page.locator("[data-testid=audit] tr[data-action]").evaluateAll((rows) => [...new Set(rows.map((r) => r.getAttribute("data-action")))])).toEqual(["apply-succeeded"]);
    await shot("reconcile-audit");
    const exported = await viewer!.request.get(url("/api/audit/export"));
    expect(exported.headers()["content-disposition"]).toMatch(/^attachment; filename="netatlas-audit-/);
    const actions = new Set(((await exported.json()) as { entries: { action: string }[] }).entries.map((e) => e.action));
    for (const action of ["sign-in", "sign-in-failed", "spec-change", "plan", "apply", "apply-succeeded", "apply-failed", "repair-plan", "repair", "repair-succeeded", "set-mode"]) expect(actions, action).toContain(action);
    expect((await fetch(url("/api/audit/export"))).status).toBe(401);
  }, STEP_MS);
});
