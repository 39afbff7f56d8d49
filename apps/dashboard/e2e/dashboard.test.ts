import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createAgentClient } from "@netatlas/agent-api";
import { allocate, allocateDocker, FleetSpec, nodeIntent } from "@netatlas/core";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { setUpDashboardLab, tearDownDashboardLab, type DashboardLab } from "./dashboard-lab";
import type { DashboardServer } from "./dashboard-server";
import { agentProcess, labExec, labFault, type Lab } from "./lab-cli";

const ARTIFACTS = fileURLToPath(new URL("./artifacts/", import.meta.url));
const PASSWORD = "e2e-admin-password";
const STEP_MS = 60_000;

/**
 * The production build in real Chromium against a real lab: two nodes with
 * their agents on unix sockets, both running dockerd. Everything it makes
 * (lab, server, data dir, browser) is removed in afterAll, also on failure.
 */
describe("dashboard against a lab", () => {
  let lab: Lab | undefined;
  let server: DashboardServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let stoppedAgent: number | undefined;
  const resumeAgent = () => {
    if (stoppedAgent) process.kill(stoppedAgent, "SIGCONT");
    stoppedAgent = undefined;
  };
  const parts: Partial<DashboardLab> = {};
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    ({ lab, server, browser, page } = await setUpDashboardLab(parts, { prefix: "dash", lab: { nodes: 2, pods: 2, dockerNodes: 2 }, env: { NETATLAS_ADMIN_PASSWORD: PASSWORD, NETATLAS_POLL_INTERVAL_MS: "1000" } }));
  }, 900_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === "fail" && browser) await shot(`failed-${task.name.slice(0, 40).replace(/\W+/g, "-")}`);
  });

  afterAll(async () => {
    resumeAgent();
    await tearDownDashboardLab(parts);
  }, 180_000);

  it("sends a visitor to sign-in, rejects a wrong password next to the field, and signs in", async () => {
    await page.goto(`${server!.url}/`);
    await page.waitForURL(/\/login/);
    await page.fill("input[name=password]", "not-the-password");
    await page.click("button[type=submit]");
    await expect.poll(() => page.locator(".field-error").textContent()).toBe("wrong password");
    await shot("sign-in-error");
    await page.fill("input[name=password]", PASSWORD);
    await page.click("button[type=submit]");
    await page.waitForURL(`${server!.url}/`);
    const cookie = (await page.context().cookies()).find((c) => c.name === "netatlas_session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict" });
  }, STEP_MS);

  it("shows every node of the lab as up with its pods and Docker networks", async () => {
    await page.locator("tr[data-node=node2] >> text=labnet").waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator("tr[data-node] td:nth-child(2)").allTextContents(), { timeout: 20_000 }).toEqual(["up", "up"]);
    expect(await page.locator("tr[data-node=node1] td:nth-child(3)").textContent()).toBe("2");
    await shot("fleet");
  }, STEP_MS);

  it("opens a node with its namespaces, links explained and netatlas's routes", async () => {
    await page.click("tr[data-node=node1] >> text=node1");
    await page.waitForURL(/\/nodes\/node1$/);
    await page.getByRole("heading", { name: "Links" }).waitFor();
    await expect.poll(() => page.locator("text=/its peer is interface \\d+ \\(veth/").count()).toBeGreaterThan(0);
    expect(await page.locator("td.ours", { hasText: "proto 157" }).count()).toBeGreaterThan(0);
    expect(await page.locator("text=pod default/node1-pod1").count()).toBeGreaterThan(0);
    await shot("node");
  }, STEP_MS);

  it("finds a pod in the topology and shows its details", async () => {
    await page.goto(`${server!.url}/topology?node=node1`);
    await page.locator(".react-flow__node").first().waitFor({ timeout: 30_000 });
    await page.fill("input[aria-label=Find]", "node1-pod2");
    await page.click("text=Focus");
    await page.getByTestId("details").getByRole("heading", { name: "pod default/node1-pod2" }).waitFor();
    await page.locator(".react-flow__node", { hasText: "bridge cni0" }).click();
    await page.getByTestId("details").getByRole("heading", { name: "bridge cni0" }).waitFor();
    await shot("topology");
    await page.goto(`${server!.url}/topology`);
    await page.locator(".react-flow__edge").first().waitFor({ timeout: 30_000 });
    await shot("topology-fleet");
  }, STEP_MS);

  it("opens a Docker network joined to its kernel bridge and containers", async () => {
    await page.goto(`${server!.url}/docker?node=node2`);
    const labnet = page.locator("[data-network=labnet]");
    await labnet.waitFor({ timeout: 30_000 });
    expect(await labnet.textContent()).toMatch(/bridge labnet0 UP/);
    expect(await labnet.textContent()).toContain("node2-pause");
    await shot("docker");
    // Across hosts: network × host, each cell the host's subnet, gateway and containers; the fleet's Docker findings below.
    await page.goto(`${server!.url}/docker`);
    const row = page.getByTestId("docker-across-hosts").locator("tr[data-row=labnet] td[data-host=node2]");
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toMatch(/^172\.30\.0\.0\/24( gw 172\.30\.0\.1)?.*node2-pause 172\.30\.0\.2/);
    await page.getByTestId("docker-fleet-findings").waitFor();
    await shot("docker-fleet");
    await page.goto(`${server!.url}/pods`);
    await page.locator("text=default/node2-pod1").waitFor();
    await shot("pods");
  }, STEP_MS);

  it("traces node1's pod to node2's pod hop by hop, and a real probe agrees", async () => {
    await page.goto(`${server!.url}/trace`);
    await page.fill("input[name=source]", "node1-pod1");
    await page.fill("input[name=destination]", "node9-pod1");
    await page.getByRole("button", { name: "Trace" }).click();
    await expect.poll(() => page.locator("input[name=destination] ~ .field-error").textContent()).toContain('no pod, container, namespace or IP is "node9-pod1"');
    await page.fill("input[name=destination]", "node2-pod1");
    await page.getByRole("button", { name: "Trace" }).click();
    const forward = page.locator("[data-path=Path]");
    await expect.poll(() => forward.getByTestId("verdict").textContent(), { timeout: 15_000 }).toMatch(/^delivered /);
    expect(await forward.locator("tr[data-hop]").count()).toBeGreaterThan(3);
    expect(await forward.locator("tr[data-hop]").allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/vxlan-encap/)]));
    // The path on the topology: both pods, both bridges, both hosts and the tunnel lit; a pod's hops on click.
    await expect.poll(() => forward.locator(".react-flow__node.on-path").count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(6);
    expect(await forward.locator(".react-flow__edge.on-path").count()).toBeGreaterThanOrEqual(5);
    await forward.locator(".react-flow__node.on-path", { hasText: "pod default/node1-pod1" }).click();
    expect(await forward.getByTestId("details").textContent()).toMatch(/#1 /);
    // The reply's drawing too: its layout is the worker's second (a worker that answers once would hang it).
    await page.locator("[data-path='Reply path'] [data-rendered]").waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "Verify" }).click();
    await expect.poll(() => page.getByTestId("agreement").textContent(), { timeout: 15_000 }).toMatch(/^agree trace says delivered and the probe \(icmp\) got [1-3] of 3 replies/);
    expect(await page.getByTestId("first-hop").textContent()).toMatch(/same$/);
    await shot("trace");
  }, STEP_MS);

  it("traces a container on node1 to a container on node2 across hosts, and a real probe agrees", async () => {
    // The lab's own Docker networks are the same subnet on every host; a spec's `app` gets a subnet per host, routed between them.
    const spec = FleetSpec.parse({
      podCidr: "10.244.0.0/16",
      backend: { type: "vxlan" },
      nodes: [{ name: "node1", underlayIp: "192.168.50.11" }, { name: "node2", underlayIp: "192.168.50.12" }],
      docker: { range: "172.31.0.0/16", hosts: ["node1", "node2"], routing: "host-gw", networks: [{ name: "app", masquerade: false }] },
    });
    const pods = allocate(spec);
    for (const agent of lab!.agents) {
      const client = createAgentClient({ url: agent.url, token: lab!.tokens.admin });
      const plan = await client.plan.mutate({ intent: nodeIntent(spec, pods, agent.name, allocateDocker(spec)) });
      // Only the Docker part changes: the lab's pod fabric is the same spec's.
      expect(plan.ops.filter((op) => !op.op.includes("docker") && !(op.op === "replace-route" && op.dst.startsWith("172.31.")))).toEqual([]);
      const result = await client.applyPlan.mutate({ planHash: plan.hash });
      expect(result.results.filter((r) => r.status !== "applied")).toEqual([]);
      await labExec(lab!, agent.name, ["/usr/bin/docker", "run", "--detach", "--name", `${agent.name}-app`, "--network", "app", "netatlas-lab/busybox:1.35", "sleep", "2147483647"]);
    }
    // The poller picks the new containers (and their bridges' carrier) up within a poll or two; each try is a fresh page, so a fresh trace.
    await expect
      .poll(async () => {
        await page.goto(`${server!.url}/trace`);
        await page.fill("input[name=source]", "node1-app");
        await page.fill("input[name=destination]", "node2-app");
        await page.getByRole("button", { name: "Trace" }).click();
        return page.locator("[data-path=Path]").getByTestId("verdict").textContent({ timeout: 2_000 }).catch(() => null);
      }, { timeout: 30_000, interval: 1_000 })
      .toMatch(/^delivered /);
    const hops = await page.locator("[data-path=Path] tr[data-hop]").allTextContents();
    console.log(`container trace hops:\n${hops.join("\n")}`);
    // Out of node1's app bridge by its route to node2's subnet of app, over the underlay, into node2's app bridge, delivered in the container.
    expect(hops).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/node1host.*br-\w+ → eth0route172\.31\.1\.0\/24 via 192\.168\.50\.12 dev eth0/),
        expect.stringMatching(/node2host.*route172\.31\.1\.0\/24 dev br-\w+/),
        expect.stringMatching(/node2host.*br-\w+ → veth\w+bridge/),
      ]),
    );
    expect(hops.at(-1)).toMatch(/node2.*deliver.*172\.31\.1\.2 is local/);
    await page.getByRole("button", { name: "Verify" }).click();
    await expect.poll(() => page.getByTestId("agreement").textContent(), { timeout: 15_000 }).toMatch(/^agree trace says delivered and the probe \(icmp\) got [1-3] of 3 replies/);
    await shot("trace-containers");
  }, STEP_MS);

  it("refuses a bad agent URL next to its field, and stores nothing", async () => {
    await page.goto(`${server!.url}/`);
    await page.click("text=Add a node");
    await page.fill("input[name=url]", "ftp://10.0.0.1");
    await page.getByRole("button", { name: "Add node" }).click();
    await expect.poll(() => page.locator("input[name=url] ~ .field-error").textContent()).toContain("only http://, https:// and unix: agents are supported");
    expect(await page.locator("tr[data-node]").count()).toBe(2);
    await shot("add-node-error");
  }, STEP_MS);

  it("pushes the agent's event to the open node page, then shows the finding after a pod's pause holder is killed", async () => {
    // The node page is open before the fault: its live stream must bring the change without a reload.
    await page.goto(`${server!.url}/nodes/node1`);
    await page.getByRole("heading", { name: "Live events" }).waitFor();
    await page.locator("[data-testid=event-stream-status][data-status=live]").waitFor({ timeout: 15_000 });
    await labFault(lab!, "kill-pause", "node1/node1-pod1");
    const row = page.locator("tr", { hasText: "pod default/node1-pod1" }).filter({ hasText: "changed" }).first();
    await row.waitFor({ timeout: 20_000 });
    // From the agent's event to the row in the browser (one clock: the lab runs on this host).
    const lagMs = Date.now() - Date.parse((await row.getAttribute("data-at")) ?? "");
    console.log(`live event: shown ${lagMs} ms after the agent's event`);
    expect(lagMs).toBeLessThan(2_000);
    await shot("node-events");
    await page.goto(`${server!.url}/findings`);
    await page.locator("tr[data-code=pod-sandbox-dead]").waitFor({ timeout: 30_000 });
    expect(await page.locator("tr[data-code=pod-sandbox-dead]").textContent()).toContain("node1-pod1");
    await shot("findings");
    await page.goto(`${server!.url}/pods?node=node1`);
    await page.locator("td.status-down", { hasText: "dead" }).waitFor({ timeout: 15_000 });
  }, STEP_MS);

  it("shows on the history page what changed on the node", async () => {
    const now = new Date(Date.now() + 60_000);
    const local = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
    await page.goto(`${server!.url}/history?node=node1`);
    await page.getByRole("heading", { name: "Stored states" }).waitFor();
    await page.locator("button", { hasText: "use as from" }).last().click();
    await page.fill("input[name=to]", local(now));
    await page.click("text=Compare");
    await page.locator("text=pod default/node1-pod1").first().waitFor({ timeout: 15_000 });
    await shot("history");
  }, STEP_MS);

  it("shows an agent that stops answering as stale with the age of its last snapshot, and keeps the page quick", async () => {
    // The agent hangs (SIGSTOP): its socket still accepts, nothing answers, so only the poll's timeout notices.
    stoppedAgent = agentProcess(lab!, "node2");
    process.kill(stoppedAgent, "SIGSTOP");
    try {
      await page.goto(`${server!.url}/`);
      const status = page.locator("tr[data-node=node2] td:nth-child(2)");
      await expect.poll(() => status.textContent(), { timeout: 20_000 }).toMatch(/^stale \(snapshot \d+ s old\)$/);
      expect(await page.locator("tr[data-node=node1] td:nth-child(2)").textContent()).toBe("up");
      const started = Date.now();
      await page.reload();
      await page.locator("tr[data-node=node2]").waitFor();
      expect(Date.now() - started).toBeLessThan(5_000);
      await shot("fleet-stale");
    } finally {
      resumeAgent();
    }
  }, STEP_MS);
});
