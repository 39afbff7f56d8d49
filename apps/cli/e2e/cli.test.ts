import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { uniquePrefix } from "@netatlas/linux/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIfStale, startDashboard, type DashboardServer } from "../../dashboard/e2e/dashboard-server.js";
import { labDown, labFault, labUp, type Lab } from "../../dashboard/e2e/lab-cli.js";
import { makeToken, trpcCall } from "./dashboard-http.js";

const CLI = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(CLI, "bin/netatlas.js");
const ADMIN_PASSWORD = "cli-e2e-admin-password";
const STEP_MS = 120_000;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The built `netatlas` against a real dashboard (`next start`) over a real lab of two
 * VXLAN nodes with one pod each, with tokens made the way a person makes them
 * (signed in with the admin password). Lab, dashboard and files are removed in afterAll.
 */
describe("netatlas against a lab and its dashboard", () => {
  const dir = mkdtempSync(join(tmpdir(), "netatlas-cli-e2e-"));
  const env = { ...process.env, NETATLAS_CONFIG: join(dir, "config"), NO_COLOR: "1" };
  let lab: Lab | undefined;
  let server: DashboardServer | undefined;
  let adminToken = "";
  let viewer = { token: "", id: 0 };
  /** node2's pod's address: where node1-pod1's packets go. */
  let target = "";

  const netatlas = async (args: string[], stdin?: string): Promise<Run> => {
    const child = promisify(execFile)(process.execPath, [BIN, ...args], { env, timeout: 90_000 });
    if (stdin !== undefined) child.child.stdin?.end(stdin);
    try {
      const { stdout, stderr } = await child;
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      if (typeof e.code !== "number") throw error;
      return { code: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
    }
  };
  const json = async <T>(args: string[]): Promise<T> => {
    const r = await netatlas([...args, "-o", "json"]);
    if (r.code !== 0) throw new Error(`netatlas ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
    return JSON.parse(r.stdout) as T;
  };
  /** Asks again until `done` holds for an answer (the dashboard polls its agents every second). */
  const until = async (args: string[], done: (r: Run) => boolean, timeoutMs = 45_000): Promise<Run> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await netatlas(args);
      if (done(r) || Date.now() > deadline) return r;
      await sleep(1_000);
    }
  };

  beforeAll(async () => {
    await promisify(execFile)(process.execPath, [join(CLI, "scripts/build.mjs")], { cwd: CLI });
    const [built, up] = await Promise.allSettled([buildIfStale(), labUp(uniquePrefix("cli"), { nodes: 2, pods: 1, dockerNodes: 0 })]);
    if (up.status === "rejected") throw up.reason;
    lab = up.value;
    if (built.status === "rejected") throw built.reason;
    server = await startDashboard({
      NETATLAS_AGENTS: JSON.stringify(lab.agents.map((a) => ({ name: a.name, url: a.url, token: lab!.tokens.read, adminToken: lab!.tokens.admin }))),
      NETATLAS_DATA_DIR: join(dir, "data"),
      NETATLAS_ADMIN_PASSWORD: ADMIN_PASSWORD,
      NETATLAS_POLL_INTERVAL_MS: "1000",
    });
    adminToken = (await makeToken(server.url, ADMIN_PASSWORD, "cli-e2e-admin", "admin")).token;
    viewer = await makeToken(server.url, ADMIN_PASSWORD, "cli-e2e-viewer", "viewer");
  }, 900_000);

  afterAll(async () => {
    await server?.stop();
    await labDown(lab);
    rmSync(dir, { recursive: true, force: true });
  }, 180_000);

  it("logs in with a token from a file and from stdin, checked by the dashboard", async () => {
    writeFileSync(join(dir, "admin-token"), adminToken, { mode: 0o600 });
    const admin = await netatlas(["login", "--server", server!.url, "--token-file", join(dir, "admin-token"), "--context", "admin"]);
    expect(admin).toMatchObject({ code: 0, stdout: expect.stringContaining("as admin (admin, via token)") });
    expect((await netatlas(["login", "--server", server!.url, "--context", "viewer"], viewer.token)).code).toBe(0);
    expect((await netatlas(["config", "use-context", "admin"])).code).toBe(0);
    const rows = await until(["nodes", "-o", "json"], (r) => r.code === 0 && JSON.parse(r.stdout).filter((n: { status: string }) => n.status === "up").length === 2);
    expect(JSON.parse(rows.stdout).map((n: { name: string }) => n.name)).toEqual(["node1", "node2"]);
    const pods = await json<{ node: string; name: string; ips: string[] }[]>(["pods", "--node", "node2"]);
    target = pods[0]?.ips[0] ?? "";
    expect(target).toMatch(/^10\.244\./);
  }, STEP_MS);

  it("traces node1-pod1 to node2's pod with a probe, printing the hops and the probe's answer", async () => {
    const r = await netatlas(["trace", "node1-pod1", target, "--verify", "-o", "json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const answer = JSON.parse(r.stdout) as { trace: { forward: { hops: { action: string }[]; verdict: { kind: string } } }; probe: { attempts: { ok: boolean }[] } };
    expect(answer.trace.forward.verdict.kind).toBe("delivered");
    expect(answer.trace.forward.hops.map((h) => h.action)).toEqual(expect.arrayContaining(["route", "vxlan-encap", "deliver"]));
    expect(answer.probe.attempts.some((a) => a.ok)).toBe(true);
  }, STEP_MS);

  it("refuses a viewer's token to plan, apply or probe (FORBIDDEN), but lets it read", async () => {
    // The lab's own spec: planned against it, every node is as it should be.
    await trpcCall(server!.url, "spec.save", { spec: { podCidr: "10.244.0.0/16", backend: { type: "vxlan" }, nodes: [{ name: "node1", underlayIp: "192.168.50.11" }, { name: "node2", underlayIp: "192.168.50.12" }] }, baseVersion: null }, { token: adminToken });
    const set = await json<{ id: number; nodes: { node: string; status: string; plan: { ops: unknown[] } | null }[] }>(["plan"]);
    expect(set.nodes.map((n) => [n.node, n.status, n.plan?.ops.length])).toEqual([["node1", "planned", 0], ["node2", "planned", 0]]);
    expect((await netatlas(["findings", "--context", "viewer"])).code).toBe(0);
    for (const args of [["plan"], ["apply", "--plan-set", String(set.id), "--yes"], ["trace", "node1-pod1", target, "--verify"]]) {
      const r = await netatlas([...args, "--context", "viewer"]);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr, args.join(" ")).toContain("403 FORBIDDEN");
    }
  }, STEP_MS);

  it("with node1's route to node2's pods deleted, the trace exits 1 naming the missing route, and drift shows it", async () => {
    await labFault(lab!, "delete-route", "node1");
    const subnet = `${target.split(".").slice(0, 3).join(".")}.0/24`;
    const r = await until(["trace", "node1-pod1", target], (t) => t.code !== 0);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^netatlas: not delivered: no-route at hop \d+ \(node1 /);
    // The node's default route takes the packet out of the fleet: the trace names the subnet it lacks a route to.
    expect(r.stderr).toContain(`node1 has no route to ${subnet} (node2's pods)`);
    const drift = await until(["drift"], (d) => d.stdout.includes(`ip route replace ${subnet}`));
    expect(drift.stdout).toMatch(/node1\s+\S+\s+kept\s+\d+ ops?/);
  }, STEP_MS);

  it("repairs node1 with a reviewed plan applied by an admin's token, and the trace is delivered again", async () => {
    const refused = await netatlas(["apply", "--plan-set", "1"]);
    expect(refused.code).toBe(2);
    const set = await json<{ id: number; nodes: { plan: { ops: { op: string; dst?: string }[] } | null }[] }>(["plan", "--repair", "node1"]);
    expect(set.nodes[0]?.plan?.ops).toEqual(expect.arrayContaining([expect.objectContaining({ op: "replace-route" })]));
    const applied = await netatlas(["apply", "--plan-set", String(set.id), "--yes"]);
    expect(applied.stderr).toContain("node1: applied");
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/apply job \d+ of plan set \d+ by admin \(token cli-e2e-admin\): succeeded/);
    expect((await until(["trace", "node1-pod1", target], (t) => t.code === 0)).code).toBe(0);
  }, STEP_MS);

  it("gets 401 for a revoked token, and says which context holds it", async () => {
    await trpcCall(server!.url, "tokens.revoke", { id: viewer.id }, { token: adminToken });
    const r = await netatlas(["nodes", "--context", "viewer"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('refused the token of context "viewer" (401 UNAUTHORIZED');
  }, STEP_MS);

  it("exits 1 for findings --fail-on error once node2's pod lost its sandbox, naming it", async () => {
    await labFault(lab!, "kill-pause", "node2");
    const r = await until(["findings", "--fail-on", "error"], (f) => f.code !== 0);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/node2\s+critical\s+pod-sandbox-dead\s+pod default\/node2-pod1: its sandbox holder/);
    expect(r.stderr).toMatch(/^netatlas: \d+ finding\(s\) of severity error or worse \(--fail-on error\)\n$/);
    expect((await netatlas(["pods", "--node", "node2"])).stdout).toMatch(/node2-pod1\s+sandbox dead/);
  }, STEP_MS);

  it("answers that this dashboard has no reachability matrix yet, or draws it", async () => {
    const r = await netatlas(["matrix"]);
    if (r.code === 0) expect(r.stdout).toMatch(/^FROM \\ TO\s+node1\s+node2/);
    else expect(r.stderr).toContain("this dashboard has no reachability matrix yet");
  }, STEP_MS);
});
