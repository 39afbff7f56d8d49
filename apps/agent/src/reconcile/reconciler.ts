import { describeOp, isDisruptive, NodeIntent, plan, type NetworkChange, type NodeSnapshot, type Op, type Plan } from "@netatlas/core";
import { DisruptiveOpsRefusedError, PlanOutdatedError, ReconcileMode, UnknownPlanError, type ApplyResult, type ReconcilePort, type ReconcileStatus } from "@netatlas/agent-api";
import { applyOps, reconnectContainers } from "@netatlas/linux";
import type { Logger } from "pino";
import { z } from "zod";
import { INTENT_FILE, Journal, JOURNAL_FILE } from "./journal.js";
import { Serial } from "./serial.js";
import type { StateStore } from "./state-store.js";


export interface ReconcilerOptions {
  store: StateStore;
  /** A read of the node that starts after the call (never an older cached one). */
  snapshot: () => Promise<NodeSnapshot>;
  log: Logger;
  /** Where drift and repair events go. */
  publish?: (change: NetworkChange) => void;
  /** dockerd's Engine API socket, for the plan's Docker network ops. */
  dockerSocket?: string;
  /** Test hook: stop for good after this many batches of an apply, as if killed there. */
  pauseAfterBatch?: number;
}

/** How many plans are kept for `apply` to find by hash. */
const PENDING_PLANS = 32;

/** The mode, kept beside the intent: a restart (a kill -9 too) comes back repairing if it was. */
const MODE_FILE = "mode.json";
const KeptMode = z.object({ mode: ReconcileMode }).strict();

const opKey = (ops: readonly Op[]) => JSON.stringify(ops.map(({ reason: _reason, ...op }) => op));

/**
 * The node's write path: dry-run plans, apply by plan hash with a journal, and
 * the kept intent that drift is measured against (and, in repair mode,
 * restored to). Applies and repairs run one at a time.
 */
export class Reconciler implements ReconcilePort {
  private currentMode: ReconcileMode = "observe";
  /** Mode changes are written one at a time: two at once would race on the store's temporary file. */
  private readonly modeWrites = new Serial();
  private readonly pending = new Map<string, NodeIntent>();
  private readonly serial = new Serial();
  private kept?: NodeIntent;
  private drift: Op[] = [];
  private busy = false;
  private repairQueued = false;

  constructor(private readonly options: ReconcilerOptions) {}

  /** Whether drift is only reported (observe) or also repaired (repair). */
  get mode(): ReconcileMode {
    return this.currentMode;
  }

  /** Switches the mode once it is written to the state directory, so that a restart keeps it. */
  setMode(mode: ReconcileMode): Promise<void> {
    return this.modeWrites.run(async () => {
      await this.options.store.write(MODE_FILE, { mode });
      this.currentMode = mode;
    });
  }

  /** Loads the kept intent and mode, and finishes an apply that a crash cut off. */
  async start(): Promise<void> {
    this.kept = await this.options.store.read(INTENT_FILE, NodeIntent);
    const keptMode = await this.options.store.read(MODE_FILE, KeptMode);
    if (keptMode) {
      this.currentMode = keptMode.mode;
      this.options.log.info({ mode: keptMode.mode }, "mode kept from before the restart");
    }
    const journal = await this.options.store.read(JOURNAL_FILE, Journal);
    if (!journal) return;
    this.options.log.warn({ planHash: journal.planHash, opsDone: journal.opsDone, ops: journal.ops.length }, "an apply was cut off; rolling it forward");
    await this.serial.run(async () => {
      const result = await this.execute(journal.intent, plan(await this.options.snapshot(), journal.intent), false);
      const reconnected = await this.reconnectAfterReplace(journal.ops);
      this.publish({ kind: "repair", action: "changed", subject: `finished an apply that was cut off after ${journal.opsDone} of ${journal.ops.length} ops`, detail: [summary(result), ...reconnected].join("; ") });
    });
  }

  /**
   * A Docker network replace cut off between its disconnects and its connects
   * leaves containers off the network; the roll-forward makes the network again
   * (or leaves the old one, as a replace needs a review), and this puts back the
   * containers the journal's replace ops name. Says what it did, per network.
   */
  private async reconnectAfterReplace(ops: readonly Op[]): Promise<string[]> {
    const lines: string[] = [];
    for (const op of ops) {
      if (op.op !== "docker-network-replace" || !op.containers.length) continue;
      try {
        const results = await reconnectContainers(op.name, op.containers, this.options.dockerSocket);
        const failed = results.filter((r) => r.outcome === "failed");
        if (failed.length) this.options.log.error({ network: op.name, failed }, "could not connect containers back to a network an interrupted replace had taken them off");
        lines.push(`Docker network ${op.name}: ${results.map((r) => `${r.container} ${r.outcome}${r.error ? ` (${r.error})` : ""}`).join(", ")}`);
      } catch (error) {
        this.options.log.error({ err: error, network: op.name }, "could not reconnect containers after an interrupted replace");
        lines.push(`Docker network ${op.name}: containers ${op.containers.map((c) => c.name).join(", ")} not connected back: ${(error as Error).message}`);
      }
    }
    return lines;
  }

  async plan(intent: NodeIntent): Promise<Plan> {
    const result = plan(await this.options.snapshot(), intent);
    this.pending.delete(result.hash);
    this.pending.set(result.hash, intent);
    if (this.pending.size > PENDING_PLANS) this.pending.delete(this.pending.keys().next().value as string);
    return result;
  }

  /** Runs a plan made before; one with disruptive ops only when `allowDisruptive` says a person reviewed them. */
  apply(planHash: string, options: { allowDisruptive?: boolean } = {}): Promise<ApplyResult> {
    return this.serial.run(async () => {
      const intent = this.pending.get(planHash);
      if (!intent) throw new UnknownPlanError(`no plan ${planHash.slice(0, 12)}… on this agent (plans are kept in memory, ${PENDING_PLANS} at most); make the plan again`);
      const fresh = plan(await this.options.snapshot(), intent);
      if (fresh.hash !== planHash) throw new PlanOutdatedError(`the node changed since plan ${planHash.slice(0, 12)}… was made (now ${fresh.ops.length} ops, hash ${fresh.hash.slice(0, 12)}…); review the new plan`);
      const disruptive = fresh.ops.filter(isDisruptive);
      if (disruptive.length && !options.allowDisruptive) throw new DisruptiveOpsRefusedError(refusal(fresh.node, planHash, disruptive));
      this.pending.delete(planHash);
      return this.execute(intent, fresh, options.allowDisruptive === true);
    });
  }

  /** The intent this node is kept at (the last one applied), if any. */
  keptIntent(): NodeIntent | undefined {
    return this.kept;
  }

  async status(): Promise<ReconcileStatus> {
    const journal = await this.options.store.read(JOURNAL_FILE, Journal);
    return { intent: this.kept ?? null, drift: this.drift, mode: this.currentMode, journal: journal ? { planHash: journal.planHash, opsDone: journal.opsDone, ops: journal.ops.length } : null };
  }

  /** Called with every new snapshot: reports drift from the kept intent, and repairs it in repair mode. */
  checkDrift(snapshot: NodeSnapshot): void {
    if (!this.kept || this.busy) return;
    const ops = plan(snapshot, this.kept).ops;
    if (ops.length === 0) {
      if (this.drift.length) this.publish({ kind: "drift", action: "removed", subject: "the node matches its intent again" });
      this.drift = [];
      return;
    }
    if (opKey(ops) !== opKey(this.drift)) {
      this.drift = ops;
      this.options.log.warn({ ops: ops.map(describeOp) }, "drift from the kept intent");
      this.publish({ kind: "drift", action: "changed", subject: `${ops.length} ops from its intent`, detail: ops.map((op) => `${describeOp(op)} (${op.reason})`).join("; ") });
    }
    // Disruptive ops are never repaired on their own: only a reviewed apply runs them.
    if (this.currentMode === "repair" && !this.repairQueued && ops.some((op) => !isDisruptive(op))) {
      this.repairQueued = true;
      void this.repair()
        .catch((error: Error) => this.options.log.error({ err: error }, "repair failed"))
        .finally(() => (this.repairQueued = false));
    }
  }

  private repair(): Promise<void> {
    return this.serial.run(async () => {
      const intent = this.kept;
      if (!intent) return;
      const todo = plan(await this.options.snapshot(), intent);
      if (!todo.ops.some((op) => !isDisruptive(op))) return;
      const result = await this.execute(intent, todo, false);
      this.options.log.info({ ops: todo.ops.map(describeOp) }, "repaired drift");
      this.publish({ kind: "repair", action: "changed", subject: `re-applied ${todo.ops.length} ops`, detail: summary(result) });
    });
  }

  /**
   * Journal, apply batch by batch, keep the intent, clear the journal, verify
   * with a fresh read. Disruptive ops run only when allowed: repairs and
   * roll-forwards leave them (they stay as drift for a person to review).
   */
  private async execute(intent: NodeIntent, planned: Plan, allowDisruptive: boolean): Promise<ApplyResult> {
    const { store, log } = this.options;
    const todo = allowDisruptive ? planned : { ...planned, ops: planned.ops.filter((op) => !isDisruptive(op)) };
    this.busy = true;
    try {
      const journal: Journal = { planHash: todo.hash, intent, ops: todo.ops, opsDone: 0, startedAt: new Date().toISOString() };
      await store.write(JOURNAL_FILE, journal);
      let batches = 0;
      const results = await applyOps(todo.ops, {
        dockerSocket: this.options.dockerSocket,
        afterBatch: async (opsDone) => {
          await store.write(JOURNAL_FILE, { ...journal, opsDone });
          if (++batches === this.options.pauseAfterBatch) {
            log.warn({ opsDone }, "test hook: pausing the apply here for good");
            await new Promise(() => undefined);
          }
        },
      });
      this.kept = intent;
      await store.write(INTENT_FILE, intent);
      await store.remove(JOURNAL_FILE);
      const afterSnapshot = await this.options.snapshot();
      const after = plan(afterSnapshot, intent);
      log.info({ planHash: todo.hash, applied: results.filter((r) => r.status === "applied").length, failed: results.filter((r) => r.status === "failed").length, remaining: after.ops.length }, "applied a plan");
      this.busy = false;
      // The changes' own notices arrived while busy: judge drift on the verifying read now.
      this.checkDrift(afterSnapshot);
      return { node: todo.node, planHash: todo.hash, results, remaining: after.ops, conflicts: todo.conflicts };
    } finally {
      this.busy = false;
    }
  }

  private publish(change: NetworkChange): void {
    this.options.publish?.(change);
  }
}

function refusal(node: string, planHash: string, ops: Array<Extract<Op, { disruptive: true }>>): string {
  const cut = ops.map((op) => `Docker network ${op.name} on ${node}: ${op.containers.map((c) => `${c.name} (${c.state})`).join(", ")}`).join("; ");
  return `plan ${planHash.slice(0, 12)}… would disconnect containers (${cut}); nothing was changed. Review the plan, then apply it allowing disruptive ops to go ahead (--allow-disruptive, or allowDisruptive: true over the API)`;
}

function summary(result: ApplyResult): string {
  const applied = result.results.filter((r) => r.status === "applied").length;
  const failed = result.results.find((r) => r.status === "failed");
  return `${applied}/${result.results.length} ops applied${failed ? `; failed: ${describeOp(failed.op)}: ${failed.error ?? ""}` : ""}${result.remaining.length ? `; still differs: ${result.remaining.map(describeOp).join("; ")}` : ""}`;
}
