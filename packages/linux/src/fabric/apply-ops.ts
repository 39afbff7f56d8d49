import { describeOp, type Op, type OpResult } from "@netatlas/core";
import { CommandError, run } from "../exec.js";
import { applyDockerOp, isDockerOp } from "../docker-networks.js";
import { batchLine } from "./batch-line.js";
import { renderOp } from "./render-op.js";

export interface ApplyOpsOptions {
  /** The namespace to change (an nsfs path); the caller's own when absent. */
  netnsPath?: string;
  timeoutMs?: number;
  /** Called after each batch succeeds, with the number of ops done so far: the journal's checkpoint. */
  afterBatch?: (opsDone: number) => Promise<void> | void;
  /** dockerd's Engine API socket, for Docker network ops (which never run in `netnsPath`: dockerd is the node's). */
  dockerSocket?: string;
}

type Tool = "ip" | "bridge" | "nft" | "docker";

function toolOf(op: Op): Tool {
  if (isDockerOp(op)) return "docker";
  if (op.op === "add-fdb" || op.op === "del-fdb") return "bridge";
  return op.op === "set-masquerade" || op.op === "del-masquerade" || op.op === "set-docker-masquerade" || op.op === "del-docker-masquerade" ? "nft" : "ip";
}

interface Batch {
  tool: Tool;
  ops: Op[];
  /** ip and bridge: the lines to send, and for each the index in `ops` of the op it came from. */
  lines: string[];
  lineOwner: number[];
}

/**
 * Runs of consecutive ops for the same tool, in plan order: each run becomes one
 * process. Every ip and bridge line is made here, before anything runs, so an
 * op that cannot be written as one stops the plan while the node is untouched:
 * then `refused` is that op's index in `ops`.
 */
function batches(ops: readonly Op[]): { batches: Batch[] } | { refused: number; error: string } {
  const out: Batch[] = [];
  for (const [index, op] of ops.entries()) {
    const tool = toolOf(op);
    let batch = out.at(-1);
    if (batch?.tool !== tool) out.push((batch = { tool, ops: [], lines: [], lineOwner: [] }));
    if (tool === "ip" || tool === "bridge") {
      try {
        for (const step of renderOp(op)) {
          batch.lines.push(batchLine(step.argv, describeOp(op)));
          batch.lineOwner.push(batch.ops.length);
        }
      } catch (error) {
        return { refused: index, error: (error as Error).message };
      }
    }
    batch.ops.push(op);
  }
  return { batches: out };
}

const inNamespace = (path: string | undefined, argv: string[]) => (path ? ["nsenter", `--net=${path}`, "--", ...argv] : argv);

/** Index of the op whose line failed, from ip/bridge's "Command failed -:LINE". */
function failedLine(stderr: string): number | undefined {
  const m = /Command failed -:(\d+)/.exec(stderr);
  return m ? Number(m[1]) - 1 : undefined;
}

/** Runs ops one at a time (nft scripts, Docker API calls), stopping at the first that fails. */
async function runEach(ops: Op[], options: ApplyOpsOptions, timeoutMs: number): Promise<OpResult[]> {
  const results: OpResult[] = [];
  for (const op of ops) {
    try {
      if (isDockerOp(op)) await applyDockerOp(op, options.dockerSocket, timeoutMs);
      else for (const step of renderOp(op)) await run(inNamespace(options.netnsPath, step.argv), { input: step.input, timeoutMs });
      results.push({ op, status: "applied" });
    } catch (error) {
      results.push({ op, status: "failed", error: (error as Error).message });
      break;
    }
  }
  return ops.map((op, i) => results[i] ?? { op, status: "skipped" });
}

async function runBatch({ tool, ops, lines, lineOwner }: Batch, options: ApplyOpsOptions): Promise<OpResult[]> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (tool === "nft" || tool === "docker") return runEach(ops, options, timeoutMs);
  try {
    await run(inNamespace(options.netnsPath, [tool, "-batch", "-"]), { input: `${lines.join("\n")}\n`, timeoutMs });
    return ops.map((op) => ({ op, status: "applied" }));
  } catch (error) {
    const stderr = error instanceof CommandError ? error.stderr : "";
    const line = failedLine(stderr);
    // Without a line number nothing says how far it got: call every op failed.
    const failed = line !== undefined ? (lineOwner[line] ?? 0) : 0;
    const reason = stderr.split("\n").find((l) => l.trim() && !l.startsWith("Command failed")) ?? (error as Error).message;
    return ops.map((op, i) => (i < failed && line !== undefined ? { op, status: "applied" } : i === failed ? { op, status: "failed", error: reason.trim() } : { op, status: "skipped" }));
  }
}

/**
 * Carries out a plan's ops in order: consecutive ops of one tool as one
 * `ip -batch`, `bridge -batch` or `nft -f` process; Docker network ops one by one
 * through the Engine API. Stops at the first failure
 * (later ops may depend on it) and says, per op, what happened. An op that
 * cannot be written as a batch line fails before anything runs.
 */
export async function applyOps(ops: readonly Op[], options: ApplyOpsOptions = {}): Promise<OpResult[]> {
  const planned = batches(ops);
  if ("refused" in planned) {
    return ops.map((op, i) => (i === planned.refused ? { op, status: "failed", error: `${planned.error}; nothing of the plan was applied` } : { op, status: "skipped" }));
  }
  const results: OpResult[] = [];
  let failed = false;
  for (const batch of planned.batches) {
    if (failed) {
      results.push(...batch.ops.map((op) => ({ op, status: "skipped" as const })));
      continue;
    }
    const done = await runBatch(batch, options);
    results.push(...done);
    failed = done.some((r) => r.status !== "applied");
    if (!failed) await options.afterBatch?.(results.length);
  }
  return results;
}
