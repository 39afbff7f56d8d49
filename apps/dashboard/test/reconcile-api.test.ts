import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { auditExport } from "../src/server/api/audit-export";
import { appRouter } from "../src/server/api/root";
import type { Role } from "../src/server/auth/role";
import { createSession } from "../src/server/auth/sessions";
import { loadConfig } from "../src/server/config";
import { startRuntime, type Runtime } from "../src/server/runtime";
import { bootstrapCaller, callContext } from "./callers";

const ADMIN = "admin-password-for-tests";
const VIEWER = "viewer-password-for-tests";
/** The only mutations anyone may call without the admin role: signing in and out, the first-start setup, and one's own API tokens. */
const PUBLIC_MUTATIONS = ["auth.setup", "auth.signIn", "auth.signOut", "tokens.create", "tokens.revoke"];

const spec = (nodes: { name: string; underlayIp: string }[], extra: Record<string, unknown> = {}) => ({ podCidr: "10.244.0.0/16", backend: { type: "host-gw" }, nodes, ...extra });

/** Roles, fleet spec versions, plans and the audit log on a real runtime (PGlite); its one agent does not exist. */
describe("reconcile API and roles", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "netatlas-dash-reconcile-"));
  let rt: Runtime;
  const tokens: Partial<Record<Role, string>> = {};
  const caller = (role?: Role) => appRouter.createCaller(callContext(rt, role && bootstrapCaller(role, tokens[role])));

  beforeAll(async () => {
    const config = loadConfig({
      NETATLAS_DATA_DIR: dataDir,
      NETATLAS_ADMIN_PASSWORD: ADMIN,
      NETATLAS_VIEWER_PASSWORD: VIEWER,
      NETATLAS_AGENT_TIMEOUT_MS: "200",
      NETATLAS_AGENTS: JSON.stringify([{ name: "gone", url: `unix:${dataDir}/gone/agent.sock`, token: "read-token" }]),
    });
    rt = await startRuntime(config, { migrationsDir: fileURLToPath(new URL("../drizzle", import.meta.url)) });
    tokens.admin = (await createSession(rt.database.db, { user: "admin", role: "admin" })).token;
    tokens.viewer = (await createSession(rt.database.db, { user: "viewer", role: "viewer" })).token;
  }, 30_000);

  afterAll(async () => {
    await rt?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("signs in as viewer with the viewer password, as admin with the admin password, and audits failures", async () => {
    expect(await caller().auth.signIn({ password: VIEWER })).toEqual({ ok: true, user: "viewer", role: "viewer" });
    expect(await caller().auth.signIn({ password: ADMIN })).toEqual({ ok: true, user: "admin", role: "admin" });
    await expect(caller().auth.signIn({ password: "guessing-passwords" })).rejects.toThrow("wrong password");
    const log = await caller("viewer").audit.list({ actor: "unknown" });
    expect(log.map((e) => e.action)).toEqual(["sign-in-failed"]);
    expect((await caller("admin").audit.list({ action: "sign-in" })).map((e) => e.actor).sort()).toEqual(["admin", "viewer"]);
    expect(() => loadConfig({ NETATLAS_ADMIN_PASSWORD: ADMIN, NETATLAS_VIEWER_PASSWORD: ADMIN })).toThrow(/NETATLAS_VIEWER_PASSWORD must differ/);
  });

  it("refuses every mutation of the router to a viewer (FORBIDDEN), before looking at its input", async () => {
    const procedures = Object.entries((appRouter as unknown as { _def: { procedures: Record<string, { _def: { type: string } }> } })._def.procedures);
    const mutations = procedures.filter(([, p]) => p._def.type === "mutation").map(([path]) => path);
    expect(mutations).toEqual(expect.arrayContaining(["spec.save", "reconcile.plan", "reconcile.planRepair", "reconcile.startApply", "reconcile.setMode", "nodes.add", "nodes.remove", "trace.verify"]));
    const viewer = caller("viewer") as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>;
    for (const path of mutations.filter((p) => !PUBLIC_MUTATIONS.includes(p))) {
      const [group, name] = path.split(".") as [string, string];
      const error = await viewer[group]?.[name]?.({}).then(() => undefined, (e: unknown) => e);
      expect(error, path).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code, path).toBe("FORBIDDEN");
    }
    // Viewers still see everything.
    await expect(caller("viewer").reconcile.drift()).resolves.toEqual([expect.objectContaining({ node: "gone" })]);
  });

  it("names each invalid field of a spec by its path, as the editor shows it, and stores nothing", async () => {
    const error = await caller("admin").spec.save({ spec: spec([{ name: "node1", underlayIp: "192.168.50.11" }, { name: "node2", underlayIp: "10.244.3.4" }], { backend: { type: "vxlan", mtu: 1480 } }), baseVersion: null }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    const issues = ((error as TRPCError).cause as ZodError).issues.map((i) => [i.path.join("."), i.message]);
    expect(issues).toEqual([
      ["nodes.1.underlayIp", "10.244.3.4 is inside the pod CIDR 10.244.0.0/16; the node network and the pod network must not overlap"],
      ["backend.mtu", "1480 + 50 bytes of VXLAN header exceeds the underlay MTU 1500; use at most 1450"],
    ]);
    // A prefix beyond /32 once made core's cross-field check shift by a negative count: a field error, not a 500.
    await expect(caller("admin").spec.save({ spec: spec([{ name: "node1", underlayIp: "192.168.50.11" }], { nodeSubnetPrefix: 33 }), baseVersion: null })).rejects.toMatchObject({ code: "BAD_REQUEST", message: "nodeSubnetPrefix: must be from 8 to 30" });
    expect(await caller("admin").spec.latest()).toBeNull();
  });

  it("stores spec versions with author, time and the fields that changed, keeping each node's subnet", async () => {
    const admin = caller("admin");
    const v1 = await admin.spec.save({ spec: spec([{ name: "node2", underlayIp: "192.168.50.12" }, { name: "node3", underlayIp: "192.168.50.13" }]), baseVersion: null });
    expect(v1).toMatchObject({ version: 1, author: "admin", allocation: { node2: "10.244.0.0/24", node3: "10.244.1.0/24" } });
    // node1 joins: it sorts first, but the others keep their subnets (their pods' addresses stay valid).
    const v2 = await admin.spec.save({ spec: spec([{ name: "node1", underlayIp: "192.168.50.11" }, { name: "node2", underlayIp: "192.168.50.12" }, { name: "node3", underlayIp: "192.168.50.13" }], { masquerade: false }), baseVersion: 1 });
    expect(v2.allocation).toEqual({ node1: "10.244.2.0/24", node2: "10.244.0.0/24", node3: "10.244.1.0/24" });
    expect(v2.changes).toEqual([{ path: "masquerade", from: true, to: false }, { path: "nodes[node1]", to: { name: "node1", underlayIp: "192.168.50.11", underlayDev: "eth0" } }]);
    await expect(admin.spec.save({ spec: spec([{ name: "node1", underlayIp: "192.168.50.11" }]), baseVersion: 1 })).rejects.toThrow(/^form: version 2 was saved since you loaded version 1/);
    expect((await caller("viewer").spec.history()).map((h) => [h.version, h.author, h.changes.length])).toEqual([[2, "admin", 2], [1, "admin", 8]]);
    expect((await caller("viewer").spec.version({ version: 1 })).spec.masquerade).toBe(true);
    expect((await admin.audit.list({ action: "spec-change", node: "fleet" })).length).toBe(2);
    expect(v2.dockerAllocation).toEqual({});
  });

  it("keeps each Docker host's network subnets from one version to the next", async () => {
    const nodes = [{ name: "node1", underlayIp: "192.168.50.11" }, { name: "node2", underlayIp: "192.168.50.12" }, { name: "node3", underlayIp: "192.168.50.13" }];
    const docker = (hosts: string[]) => ({ docker: { range: "10.30.0.0/16", hosts, networks: [{ name: "app" }] } });
    const v3 = await caller("admin").spec.save({ spec: spec(nodes, docker(["node2", "node3"])), baseVersion: 2 });
    expect(v3.dockerAllocation).toEqual({ app: { node2: "10.30.0.0/24", node3: "10.30.1.0/24" } });
    const v4 = await caller("admin").spec.save({ spec: spec(nodes, docker(["node1", "node2", "node3"])), baseVersion: 3 });
    expect(v4.dockerAllocation).toEqual({ app: { node1: "10.30.2.0/24", node2: "10.30.0.0/24", node3: "10.30.1.0/24" } });
    expect(v4.changes).toEqual([{ path: "docker.hosts", from: ["node2", "node3"], to: ["node1", "node2", "node3"] }]);
  });

  it("plans every spec node, marking the ones without a reachable agent as excluded with why", async () => {
    await caller("admin").spec.save({ spec: spec([{ name: "gone", underlayIp: "192.168.50.11" }, { name: "node9", underlayIp: "192.168.50.19" }]), baseVersion: 4 });
    const set = await caller("admin").reconcile.plan();
    expect(set.nodes).toEqual([
      { node: "gone", dashboardNode: "gone", status: "excluded", plan: null, error: expect.stringContaining('node "gone" has no admin token') },
      { node: "node9", dashboardNode: null, status: "excluded", plan: null, error: expect.stringContaining('no dashboard node is named "node9"') },
    ]);
    await expect(caller("admin").reconcile.startApply({ planSetId: set.id, confirm: true })).rejects.toThrow(/has no reachable node to apply/);
    // The fleet-wide plan is in node9's audit trail too: its detail names the node.
    expect((await caller("viewer").audit.list({ node: "node9" })).map((e) => [e.action, e.target])).toEqual([["plan", "fleet"]]);
    expect(await caller("viewer").reconcile.latestPlans({ kind: "spec" })).toMatchObject({ id: set.id, specVersion: 5 });
  });

  it("exports the audit log as JSON to a signed-in session only, filtered like the page", async () => {
    const request = (cookie?: string, query = "") => new Request(`http://127.0.0.1/api/audit/export${query}`, { headers: cookie ? { cookie } : {} });
    expect((await auditExport(rt, request())).status).toBe(401);
    const response = await auditExport(rt, request(`netatlas_session=${tokens.viewer}`, "?action=spec-change"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="netatlas-audit-.*\.json"$/);
    const body = (await response.json()) as { entries: { action: string; detail: { version: number } }[] };
    expect(body.entries.map((e) => [e.action, e.detail.version])).toEqual([5, 4, 3, 2, 1].map((v) => ["spec-change", v]));
    expect((await auditExport(rt, request(`netatlas_session=${tokens.viewer}`, "?from=yesterday"))).status).toBe(400);
  });

  it("refuses to apply plans made for a spec version that is no longer the newest", async () => {
    const old = await caller("viewer").reconcile.latestPlans({ kind: "spec" });
    await caller("admin").spec.save({ spec: spec([{ name: "gone", underlayIp: "192.168.50.11" }], { masquerade: false }), baseVersion: 5 });
    await expect(caller("admin").reconcile.startApply({ planSetId: old!.id, confirm: true })).rejects.toMatchObject({ code: "CONFLICT", message: `planSetId: plan set ${old!.id} is for spec version 5, but version 6 was saved since; plan again and review the new plans` });
  });
});
