import { existsSync } from "node:fs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { mapBounded } from "@netatlas/core";
import { run } from "@netatlas/linux";
import { defaultAgentBin, down, inPod, up, type LabBackend, type LabFabric, type LabState, type PodState } from "../src/index.js";
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
  options: { nodes: number; pods: number; fabric?: LabFabric; backend?: LabBackend; agents: boolean; dockerNodes?: number },
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

/** An ICMP echo from inside a pod with busybox ping: two echoes 200 ms apart, a second for the first reply. */
export async function pingFromPod(state: LabState, from: string, ip: string): Promise<boolean> {
  const { nodePid, pod } = podOf(state, from);
  const result = await run(inPod(nodePid, pod.netns, ["/bin/busybox", "ping", "-c", "2", "-i", "0.2", "-W", "1", "-q", ip]), { okCodes: [0, 1], timeoutMs: 5_000 });
  return result.code === 0;
}

/** The IPv4 and ICMP headers: busybox ping's -s counts only the payload. */
const ICMP_HEADERS = 28;

/**
 * One ICMP echo of `size` bytes (headers included) from inside a pod, with DF
 * set as busybox ping's raw socket sets it (the kernel's path-MTU discovery),
 * and one more when it gets no reply within a second: true when either did.
 * The second echo keeps a lost first packet (a neighbour being resolved) from
 * passing for an unreachable pod.
 */
export async function echoFromPod(state: LabState, from: string, ip: string, size: number): Promise<boolean> {
  const { nodePid, pod } = podOf(state, from);
  const argv = inPod(nodePid, pod.netns, ["/bin/busybox", "ping", "-c", "1", "-W", "1", "-q", "-s", String(size - ICMP_HEADERS), ip]);
  for (let attempt = 0; attempt < 2; attempt++) if ((await run(argv, { okCodes: [0, 1], timeoutMs: 5_000 })).code === 0) return true;
  return false;
}

/** Every ordered pair of the lab's pods ("from -> to") whose real ping gets no reply, sorted; eight probes at a time. */
export async function unreachablePodPairs(state: LabState): Promise<string[]> {
  const pods = state.nodes.flatMap((n) => n.pods);
  const pairs = pods.flatMap((a) => pods.filter((b) => b !== a).map((b) => [a, b] as const));
  const reached = await mapBounded(pairs, 8, ([a, b]) => pingFromPod(state, a.name, b.ip as string));
  return pairs.filter((_, i) => !reached[i]).map(([a, b]) => `${a.name} -> ${b.name}`).sort();
}
