import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { Worker } from "node:worker_threads";
import { LONE_DATA_PATH } from "@netatlas/agent-api";
import type { AgentTarget } from "../../agent-target";
import type { WholeSnapshot } from "../whole-snapshot";
import type { IntakeAnswer, IntakeJob } from "./intake-protocol";
import { snapshotOfParts } from "./lazy-parts";

/** The intake thread's bundle, beside the app (made by scripts/build-worker.mjs; the image copies dist/). */
export const INTAKE_WORKER_FILE = "dist/snapshot-intake-worker.cjs";

/**
 * Threads at most: a cold start (or a fleet reconnecting) brings hundreds of whole snapshots
 * at once, and checking one costs more than the event loop's share of it; two keep up with
 * the event loop on two cores, and sit idle otherwise.
 */
const MAX_INTAKE_THREADS = 2;

/** An intake thread's young generation: a snapshot in flight is some MB of objects, and a small one is scavenged (copied) while they are still in use. */
const INTAKE_YOUNG_GENERATION_MB = 96;

interface Waiting {
  resolve: (whole: WholeSnapshot | undefined) => void;
  reject: (error: Error) => void;
}

interface IntakeThread {
  worker: Worker;
  pending: Map<number, Waiting>;
}

/**
 * Takes agents' whole snapshots in on threads of their own: there each one is fetched,
 * parsed, checked against the model (zod copies every object it checks) and its findings
 * found. The event loop, which also serves every page and every stream, parses only the
 * small parts (what the fleet's overview reads); the rest is parsed when first read
 * (`snapshotOfParts`), from the agent's answer as it came where the check left it so. A cold start of a fleet is mostly whole snapshots. A thread that
 * dies fails what it had in hand (the stream then sends the whole snapshot itself) and
 * the next ask starts a new one.
 */
export class SnapshotIntake {
  private readonly threads: (IntakeThread | undefined)[];
  private nextId = 1;
  private stopped = false;

  constructor(
    private readonly file: string,
    threads: number,
    private readonly log: (message: string) => void = (m) => console.error(m),
  ) {
    this.threads = Array.from({ length: Math.max(1, threads) }, () => undefined);
  }

  /**
   * The intake of the app's build in `appDir`, its threads started at once (one per core,
   * MAX_INTAKE_THREADS at most); undefined when the build has no intake bundle (the event
   * loop then checks snapshots itself, as before).
   */
  static ofBuild(appDir: string, log: (message: string) => void = (m) => console.error(m)): SnapshotIntake | undefined {
    const file = resolve(appDir, INTAKE_WORKER_FILE);
    if (!existsSync(file)) {
      log(`netatlas dashboard: no ${INTAKE_WORKER_FILE} in ${appDir} (run the package's build); whole snapshots are checked on the event loop`);
      return undefined;
    }
    const intake = new SnapshotIntake(file, Math.min(MAX_INTAKE_THREADS, availableParallelism()), log);
    intake.threads.forEach((_, k) => intake.thread(k));
    return intake;
  }

  /** The agent's whole snapshot, checked, with its findings; undefined when the agent has no such call (an older netatlas). */
  whole(target: AgentTarget, options: { timeoutMs: number; maxAnswerBytes: number }): Promise<WholeSnapshot | undefined> {
    if (this.stopped) return Promise.reject(new Error("the snapshot intake is stopped"));
    const { worker, pending } = this.leastBusy();
    const id = this.nextId++;
    const job: IntakeJob = { id, url: target.url, token: target.token, ...options };
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage(job);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const running = this.threads.filter((t) => t !== undefined);
    this.threads.forEach((thread, k) => this.lost(k, thread, new Error("the dashboard stops")));
    await Promise.all(running.map((t) => t.worker.terminate()));
  }

  private leastBusy(): IntakeThread {
    let best = this.thread(0);
    for (let k = 1; k < this.threads.length; k++) {
      const thread = this.thread(k);
      if (thread.pending.size < best.pending.size) best = thread;
    }
    return best;
  }

  private thread(k: number): IntakeThread {
    const running = this.threads[k];
    if (running) return running;
    const worker = new Worker(this.file, { resourceLimits: { maxYoungGenerationSizeMb: INTAKE_YOUNG_GENERATION_MB } });
    const thread: IntakeThread = { worker, pending: new Map() };
    // It serves the server; it never keeps a stopping process alive.
    worker.unref();
    worker.on("message", (answer: IntakeAnswer) => settle(thread, answer));
    worker.on("error", (error) => this.lost(k, thread, error));
    worker.on("exit", (code) => this.lost(k, thread, new Error(`it exited with code ${code}`)));
    this.threads[k] = thread;
    return thread;
  }

  private lost(k: number, thread: IntakeThread | undefined, error: Error): void {
    if (!thread || this.threads[k] !== thread) return;
    this.threads[k] = undefined;
    const waiting = [...thread.pending.values()];
    thread.pending.clear();
    for (const w of waiting) w.reject(new Error(`the snapshot intake thread stopped: ${error.message}`));
    if (!this.stopped) this.log(`netatlas dashboard: a snapshot intake thread stopped (${error.message}); ${waiting.length} whole snapshot(s) are asked of their streams instead, and the next one starts a new thread`);
  }
}

function settle(thread: IntakeThread, answer: IntakeAnswer): void {
  const waiting = thread.pending.get(answer.id);
  if (!waiting) return;
  thread.pending.delete(answer.id);
  if ("error" in answer) return waiting.reject(new Error(answer.error));
  if ("absent" in answer) return waiting.resolve(undefined);
  // Checked on the intake thread: this JSON is the checked message, or the answer it was checked from and left as it was.
  const { snapshot, ...position } = JSON.parse(answer.head) as Omit<WholeSnapshot, "snapshot"> & { snapshot: Record<string, unknown> };
  const source = { text: answer.rest, path: answer.restIs === "answer" ? [...LONE_DATA_PATH, "snapshot"] : [] };
  waiting.resolve({ ...position, snapshot: snapshotOfParts(snapshot, answer.keys, source), findings: answer.findings });
}
