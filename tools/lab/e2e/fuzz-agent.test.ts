import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeSnapshot } from "@netatlas/core";
import { createAgentRouter, TRPC_BASE_PATH } from "@netatlas/agent-api";
import { uniquePrefix } from "@netatlas/linux/testing";
import { addressesSettled, callProcedure, filesDigest, httpAsk, inputsFor, judgeAnswer, kernelState, peakRss, proceduresOf, rawExchange, rawOddities, type HttpTarget } from "@netatlas/fuzz";
import { agentProcess, defaultAgentBin, down, inNodeNet, readTokens, up, type LabState } from "../src/index.js";

/** Inputs per procedure and caller; NETATLAS_FUZZ_RUNS raises it for a longer soak. */
const RUNS = Number(process.env.NETATLAS_FUZZ_RUNS ?? 200);
/** The DaemonSet's memory limit (deploy/kubernetes/agent.yaml). */
const RSS_LIMIT = 256 * 1024 * 1024;
/** Procedures whose valid input changes the agent on purpose: fuzzed with a read token only (FORBIDDEN). */
const CHANGES_THE_AGENT = new Set(["setMode"]);

// Needs root: a lab node with pods and its real agent, removed afterwards.
describe("the agent under fuzz (a real agent in a lab node)", () => {
  const prefix = uniquePrefix("fzag");
  const runDir = join(mkdtempSync(join(tmpdir(), "netatlas-fuzz-")), prefix);
  let state: LabState;
  let target: HttpTarget;
  let tokens: { read: string; admin: string };
  let agentPid: number;
  let enter: (argv: string[]) => string[];
  let stateDir: string;
  let before: { kernel: string[]; files: string };
  const tally = { inputs: 0, typedErrors: 0, outputs: 0 };

  beforeAll(async () => {
    state = await up({ prefix, runDir, agentBin: defaultAgentBin, log: () => undefined, nodes: 1, pods: 2, backend: "none", agents: true, dockerNodes: 0 });
    const node = state.nodes[0];
    if (!node?.agent || !node.pid) throw new Error("the lab node has no agent");
    target = { socketPath: node.agent.socket };
    tokens = readTokens(state.tokenFile);
    agentPid = await agentProcess(node.agent.pid);
    const nodePid = node.pid;
    enter = (argv) => inNodeNet(nodePid, argv);
    stateDir = join(runDir, node.name, "state");
    await addressesSettled(enter);
    before = { kernel: await kernelState(enter), files: await filesDigest(stateDir) };
  }, 120_000);

  afterAll(async () => {
    console.log(`agent fuzz: ${tally.inputs} inputs, ${tally.outputs} valid outputs, ${tally.typedErrors} typed errors`);
    await down(prefix, runDir, () => undefined);
    rmSync(join(runDir, ".."), { recursive: true, force: true });
  }, 60_000);

  const bearer = (who: "none" | "read" | "admin"): Record<string, string> => (who === "none" ? {} : { authorization: `Bearer ${tokens[who]}` });

  it("answers every procedure's schema-shaped and hostile inputs with a valid output or a typed 4xx error", async () => {
    for (const procedure of proceduresOf(createAgentRouter())) {
      const callers = CHANGES_THE_AGENT.has(procedure.name) ? (["none", "read"] as const) : (["none", "read", "admin"] as const);
      await fc.assert(
        fc.asyncProperty(inputsFor(procedure.input), fc.constantFrom(...callers), async (input, who) => {
          tally.inputs++;
          const answer = await callProcedure(target, TRPC_BASE_PATH, procedure.name, procedure.type, input, bearer(who));
          const where = `${procedure.name} as ${who} with ${JSON.stringify(input)?.slice(0, 200)}: ${answer.status} ${answer.body.slice(0, 300)}`;
          const judged = judgeAnswer(procedure.type, answer);
          if (!judged.ok) expect.fail(`${where}: ${judged.problem}`);
          if (judged.kind === "refused") return void tally.typedErrors++;
          tally.outputs++;
          if (procedure.name === "snapshot") expect(NodeSnapshot.safeParse(judged.data).success, where).toBe(true);
        }),
        { numRuns: RUNS, seed: Number(process.env.NETATLAS_FUZZ_SEED ?? Date.now() % 2 ** 31) },
      );
    }
  }, 600_000);

  it("answers raw HTTP oddities with a status line, never a reset, and stays healthy", async () => {
    for (const oddity of rawOddities({ base: TRPC_BASE_PATH, query: "health", mutation: "setMode" })) {
      const line = await rawExchange(target, oddity.bytes);
      expect(line, oddity.name).toMatch(oddity.anyStatus ? /^HTTP\/1\.[01] \d{3} / : /^HTTP\/1\.[01] 4\d\d /);
    }
    expect((await httpAsk(target, { method: "GET", path: `${TRPC_BASE_PATH}/health` })).status).toBe(200);
  }, 120_000);

  it("stays within its memory limit under a read token's batch attack, and health answers meanwhile", async () => {
    const batch = Array.from({ length: 300 }, () => "snapshot").join(",");
    const input = encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [i, {}]))));
    const attack = Array.from({ length: 8 }, () =>
      httpAsk(target, { method: "GET", path: `${TRPC_BASE_PATH}/${batch}?batch=1&input=${input}`, headers: bearer("read"), keepBytes: 4096, timeoutMs: 60_000 }),
    );
    const health: number[] = [];
    const watching = (async () => {
      for (let i = 0; i < 10; i++) health.push((await httpAsk(target, { method: "GET", path: `${TRPC_BASE_PATH}/health`, timeoutMs: 5_000 })).ms);
    })();
    const answers = await Promise.all(attack);
    await watching;
    for (const answer of answers) {
      expect(answer.status, answer.body.slice(0, 200)).toBeGreaterThanOrEqual(400);
      expect(answer.bytes).toBeLessThan(64 * 1024);
    }
    const peak = await peakRss(agentPid);
    console.log(`agent under the batch attack: peak RSS ${(peak / 2 ** 20).toFixed(0)} MB, health ${Math.max(...health).toFixed(0)} ms at worst`);
    expect(peak).toBeLessThan(RSS_LIMIT);
    expect(Math.max(...health)).toBeLessThan(1_000);
  }, 120_000);

  it("changed nothing on the node: links, addresses, routes, neighbours, FDB, nft and the agent's state files", async () => {
    expect(await filesDigest(stateDir)).toBe(before.files);
    expect(await kernelState(enter)).toEqual(before.kernel);
  }, 60_000);
});
