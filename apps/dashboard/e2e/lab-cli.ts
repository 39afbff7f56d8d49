import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
// The lab through its CLI (apps do not import tools): the same commands a person types.
const LAB = fileURLToPath(new URL("../../../tools/lab/bin/netatlas-lab.js", import.meta.url));

export interface Lab {
  prefix: string;
  runDir: string;
  /** Each node's agent: its socket, and the PID the lab started it under (nsenter, whose child is the agent). */
  agents: { name: string; url: string; pid: number }[];
  tokens: { read: string; admin: string };
}

const lab = (args: string[], timeoutMs: number) => run(process.execPath, [LAB, ...args], { timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: 16 << 20 });

/** `backend` is the lab's own (vxlan by default); "none" leaves the nodes without cross-node routes. */
export async function labUp(prefix: string, options: { nodes: number; pods: number; dockerNodes: number; backend?: "vxlan" | "host-gw" | "none" }): Promise<Lab> {
  const runDir = join(mkdtempSync(join(tmpdir(), "netatlas-dash-e2e-")), prefix);
  const common = ["--prefix", prefix, "--run-dir", runDir];
  try {
    const { stdout } = await lab(["up", ...common, "--nodes", String(options.nodes), "--pods", String(options.pods), "--docker-nodes", String(options.dockerNodes), ...(options.backend ? ["--backend", options.backend] : []), "--json"], 300_000);
    const status = JSON.parse(stdout.slice(stdout.indexOf("{"))) as { nodes: { name: string; agent?: { url: string; pid: number } }[] };
    const text = readFileSync(join(runDir, "tokens"), "utf8");
    const token = (scope: string) => new RegExp(`^${scope} (\\S+)$`, "m").exec(text)?.[1] ?? "";
    return { prefix, runDir, agents: status.nodes.flatMap((n) => (n.agent ? [{ name: n.name, url: n.agent.url, pid: n.agent.pid }] : [])), tokens: { read: token("read"), admin: token("admin") } };
  } catch (error) {
    await labDown({ prefix, runDir });
    throw error;
  }
}

/** Removes the lab and the temp directory its run directory sits in. */
export async function labDown(l: Pick<Lab, "prefix" | "runDir"> | undefined): Promise<void> {
  if (!l) return;
  await lab(["down", "--prefix", l.prefix, "--run-dir", l.runDir], 120_000);
  rmSync(dirname(l.runDir), { recursive: true, force: true });
}

export async function labFault(l: Pick<Lab, "prefix" | "runDir">, kind: string, target: string): Promise<void> {
  await lab(["fault", kind, "--prefix", l.prefix, "--run-dir", l.runDir, "--target", target], 60_000);
}

/** Runs a command inside a node (its mounts and namespaces, so `docker` talks to that node's dockerd); returns its stdout. */
export async function labExec(l: Lab, node: string, argv: string[]): Promise<string> {
  return (await lab(["exec", "--prefix", l.prefix, "--run-dir", l.runDir, node, "--", ...argv], 60_000)).stdout;
}

/** The agent process itself: the descendant of the lab's launcher PID that runs `serve`. */
export function agentProcess(l: Lab, node: string): number {
  const launcher = l.agents.find((a) => a.name === node)?.pid;
  if (!launcher) throw new Error(`lab ${l.prefix} has no agent on ${node}`);
  const children = (pid: number) => readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").split(" ").filter(Boolean).map(Number);
  const serving = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes("serve");
  for (let queue = [launcher]; queue.length; ) {
    const pid = queue.shift() as number;
    if (serving(pid) && !readFileSync(`/proc/${pid}/cmdline`, "utf8").startsWith("nsenter")) return pid;
    queue.push(...children(pid));
  }
  throw new Error(`no agent process under PID ${launcher} for ${node}`);
}
