import { existsSync } from "node:fs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { run } from "@netatlas/linux";
import { defaultAgentBin, down, inPod, up, type LabState, type PodState } from "../src/index.js";
import { markedProcesses } from "../src/processes.js";

export interface TestLab {
  prefix: string;
  runDir: string;
  state: LabState;
  buildMs: number;
}

/** A lab with its own prefix and run directory; the caller must `removeLab` it (afterAll). */
export async function buildLab(
  prefix: string,
  options: { nodes: number; pods: number; backend: "vxlan" | "host-gw" | "none"; agents: boolean; dockerNodes?: number },
): Promise<TestLab> {
  const runDir = testRunDir(prefix);
  const started = Date.now();
  try {
    const state = await up({ prefix, runDir, agentBin: defaultAgentBin, log: () => undefined, ...options, dockerNodes: options.dockerNodes ?? 0 });
    return { prefix, runDir, state, buildMs: Date.now() - started };
  } catch (error) {
    await down(prefix, runDir, () => undefined);
    throw error;
  }
}

/** A run directory inside a temporary directory of its own, which `removeLab` removes too. */
export const testRunDir = (prefix: string) => join(mkdtempSync(join(tmpdir(), "netatlas-lab-test-")), prefix);

export async function removeLab(lab: { prefix: string; runDir: string } | undefined): Promise<void> {
  if (!lab) return;
  await down(lab.prefix, lab.runDir, () => undefined);
  rmSync(dirname(lab.runDir), { recursive: true, force: true });
}

/** What a lab leaves in the host: namespaces with its prefix, processes with its marker, its run directory. */
export async function leftovers(prefix: string, runDir: string): Promise<string[]> {
  const netns = (await run(["ip", "netns", "list"])).stdout.split("\n").filter((line) => line.startsWith(`${prefix}-`));
  return [...netns.map((n) => `netns ${n}`), ...markedProcesses(prefix).map((p) => `process ${p}`), ...(existsSync(runDir) ? [`dir ${runDir}`] : [])];
}

export function podOf(state: LabState, name: string): { nodePid: number; pod: PodState } {
  const node = state.nodes.find((n) => n.pods.some((p) => p.name === name));
  const pod = node?.pods.find((p) => p.name === name);
  if (!node?.pid || !pod) throw new Error(`no pod ${name} in the lab`);
  return { nodePid: node.pid, pod };
}

/** An HTTP GET from inside a pod, with busybox wget as a container would do it (its own -T crashes busybox 1.35). */
export async function httpFromPod(state: LabState, from: string, url: string, timeoutMs = 10_000): Promise<string> {
  const { nodePid, pod } = podOf(state, from);
  return (await run(inPod(nodePid, pod.netns, ["/bin/busybox", "wget", "-q", "-O-", url]), { timeoutMs })).stdout;
}
