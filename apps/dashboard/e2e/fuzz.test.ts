import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callProcedure, httpAsk, inputsFor, judgeAnswer, peakRss, proceduresOf, rawExchange, rawOddities, type HttpTarget } from "@netatlas/fuzz";
import { uniquePrefix } from "@netatlas/linux/testing";
import { appRouter } from "../src/server/api/root";
import { buildIfStale, startDashboard, type DashboardServer } from "./dashboard-server";
import { labDown, labUp, type Lab } from "./lab-cli";

const RUNS = Number(process.env.NETATLAS_FUZZ_RUNS ?? 25);
const BASE = "/api/trpc";
const VIEWER_PASSWORD = "viewer-password-fuzz-0123";
/** What the fuzz may add to the dashboard's peak memory: far below what an unbounded answer or batch reaches (PGlite and Next.js alone hold ~0.7 GB). */
const RSS_GROWTH_LIMIT = 384 * 1024 * 1024;

// Needs root: a lab node and its agent, the production dashboard over it; all removed afterwards.
describe("the dashboard under fuzz (production build, a real agent)", () => {
  let lab: Lab | undefined;
  let server: DashboardServer | undefined;
  let target: HttpTarget;
  let origin: string;
  let viewerCookie: string;
  let baselineRss: number;
  const dataDir = mkdtempSync(join(tmpdir(), "netatlas-dash-fuzz-"));
  const tally = { inputs: 0, outputs: 0, typedErrors: 0 };

  beforeAll(async () => {
    const [built, up] = await Promise.allSettled([buildIfStale(), labUp(uniquePrefix("fzdb"), { nodes: 1, pods: 1, dockerNodes: 0, backend: "none" })]);
    if (up.status === "fulfilled") lab = up.value;
    if (up.status === "rejected") throw up.reason;
    if (built.status === "rejected") throw built.reason;
    server = await startDashboard({
      NETATLAS_AGENTS: JSON.stringify(lab!.agents.map((a) => ({ name: a.name, url: a.url, token: lab!.tokens.read, adminToken: lab!.tokens.admin }))),
      NETATLAS_DATA_DIR: dataDir,
      NETATLAS_ADMIN_PASSWORD: "admin-password-fuzz-0123",
      NETATLAS_VIEWER_PASSWORD: VIEWER_PASSWORD,
    });
    origin = server.url;
    const url = new URL(server.url);
    target = { host: url.hostname, port: Number(url.port) };
    const signIn = await httpAsk(target, { method: "POST", path: `${BASE}/auth.signIn`, headers: { "content-type": "application/json", origin }, body: JSON.stringify({ password: VIEWER_PASSWORD }) });
    const cookie = [signIn.headers["set-cookie"] ?? []].flat().find((c) => c.startsWith("netatlas_session="));
    if (signIn.status !== 200 || !cookie) throw new Error(`signing in as the viewer failed: ${signIn.status} ${signIn.body}`);
    viewerCookie = cookie.split(";")[0] as string;
    baselineRss = await peakRss(server.pid);
  }, 900_000);

  afterAll(async () => {
    console.log(`dashboard fuzz: ${tally.inputs} inputs, ${tally.outputs} valid outputs, ${tally.typedErrors} typed errors`);
    await server?.stop();
    await labDown(lab);
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  const headersOf = (who: "none" | "viewer"): Record<string, string> => ({ origin, ...(who === "viewer" ? { cookie: viewerCookie } : {}) });

  it("answers every procedure's schema-shaped and hostile inputs, without a session and as a viewer, with a valid output or a typed 4xx error", async () => {
    // Signing in and out is what the viewer's session rests on: fuzzed without a session only.
    const procedures = proceduresOf(appRouter).filter((p) => p.name !== "auth.signOut");
    for (const procedure of procedures) {
      await fc.assert(
        fc.asyncProperty(inputsFor(procedure.input), fc.constantFrom("none" as const, "viewer" as const), async (input, who) => {
          tally.inputs++;
          const answer = await callProcedure(target, BASE, procedure.name, procedure.type, input, headersOf(procedure.name.startsWith("auth.") ? "none" : who), { headerOverflowMayReset: true });
          const where = `${procedure.name} as ${who} with ${JSON.stringify(input)?.slice(0, 200)}: ${answer.status} ${answer.body.slice(0, 300)}`;
          const judged = judgeAnswer(procedure.type, answer);
          if (!judged.ok) expect.fail(`${where}: ${judged.problem}`);
          if (judged.kind === "refused") return void tally.typedErrors++;
          tally.outputs++;
          if (procedure.type === "mutation") expect(procedure.name, `${where}: a viewer or a stranger changed something (other than signing in or out, or their own API tokens)`).toMatch(/^(auth|tokens)\./);
        }),
        { numRuns: RUNS, seed: Number(process.env.NETATLAS_FUZZ_SEED ?? Date.now() % 2 ** 31) },
      );
    }
  }, 900_000);

  it("answers raw HTTP oddities with a status line and stays up", async () => {
    for (const oddity of rawOddities({ base: BASE, query: "auth.status", mutation: "auth.signIn" })) {
      const line = await rawExchange(target, oddity.bytes);
      expect(line, oddity.name).toMatch(oddity.anyStatus ? /^HTTP\/1\.[01] \d{3} / : /^HTTP\/1\.[01] 4\d\d /);
    }
    expect((await httpAsk(target, { method: "GET", path: `${BASE}/auth.status` })).status).toBe(200);
  }, 120_000);

  it("refuses a viewer's batch of 800 topology calls, and stays within its memory bound", async () => {
    const names = Array.from({ length: 800 }, () => "fleet.topology").join(",");
    const answer = await httpAsk(target, { method: "GET", path: `${BASE}/${names}?batch=1`, headers: headersOf("viewer"), keepBytes: 4096, timeoutMs: 60_000 });
    expect(answer.status, answer.body.slice(0, 200)).toBeGreaterThanOrEqual(400);
    expect(answer.bytes).toBeLessThan(64 * 1024);
    const peak = await peakRss(server!.pid);
    console.log(`dashboard: peak RSS ${(baselineRss / 2 ** 20).toFixed(0)} MB before the fuzz, ${(peak / 2 ** 20).toFixed(0)} MB after it`);
    expect(peak - baselineRss).toBeLessThan(RSS_GROWTH_LIMIT);
  }, 120_000);
});
