import { createAgentClient, ReconcileStatus } from "@netatlas/agent-api";
import { mapBounded } from "@netatlas/core";
import type { AgentTarget } from "../agent-target";
import type { Db } from "../db/open";
import { checkedAnswer } from "../fleet/agent-answer";
import { withTimeout } from "../fleet/with-timeout";
import { storedReconcileStatus } from "./reconcile-status-store";
import { StatusWrites } from "./status-writes";

/** What the dashboard knows of one node's reconciler: its mode, kept intent and drift, or why it could not ask. */
export interface NodeReconcile {
  node: string;
  checkedAt: number;
  status?: ReconcileStatus;
  error?: string;
}

export type StatusReader = (target: AgentTarget) => Promise<ReconcileStatus>;

/** Reads reconcileStatus with the node's read token (no admin token needed to look). */
export function agentStatusReader(timeoutMs: number): StatusReader {
  const clients = new Map<string, ReturnType<typeof createAgentClient>>();
  return (target) => {
    const key = `${target.name}|${target.url}|${target.token ?? ""}`;
    let client = clients.get(key);
    if (!client) clients.set(key, (client = createAgentClient({ url: target.url, token: target.token, timeoutMs })));
    return client.reconcileStatus.query().then((status) => checkedAnswer(ReconcileStatus, status, "its reconcile status"));
  };
}

/** Agents asked at once in a check of the whole fleet. */
const CHECK_CONCURRENCY = 16;

/**
 * Keeps each node's reconcile status (mode, kept intent, drift), and its drift in
 * the database with when it was first seen, so the drift view can say "since when"
 * across restarts of the dashboard. A node is asked when its agent says something
 * changed (a drift or repair event, a stream that connects: `checkNode`); every
 * `intervalMs` the whole fleet is asked as well, at most CHECK_CONCURRENCY at a time,
 * as a safety net. With several replicas each asks only the nodes it leads (`leads`),
 * stores what it learns, and knows the others' nodes from the database (`loadPeers`).
 */
export class DriftMonitor {
  private readonly known = new Map<string, NodeReconcile>();
  /** A node's check in progress: asked again meanwhile (its stream's whole snapshot, a drift event), it is not asked twice. */
  private readonly inFlight = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private checking = false;
  private readonly writes: StatusWrites;

  constructor(
    private readonly options: { db: Db; targets: () => AgentTarget[]; leads?: (node: string) => boolean; read: StatusReader; intervalMs: number; timeoutMs: number; now?: () => number },
  ) {
    this.writes = new StatusWrites(options.db);
  }

  /** The nodes whose agents this replica asks. */
  private led(): AgentTarget[] {
    const leads = this.options.leads;
    return leads ? this.options.targets().filter((t) => leads(t.name)) : this.options.targets();
  }

  /** Reads what the other replicas stored of the nodes they lead (nothing to read when this one leads all). */
  async loadPeers(): Promise<void> {
    const leads = this.options.leads;
    if (!leads) return;
    const others = this.options.targets().filter((t) => !leads(t.name)).map((t) => t.name);
    for (const stored of await storedReconcileStatus(this.options.db, others)) this.known.set(stored.node, stored);
  }

  nodes(): NodeReconcile[] {
    const names = new Set(this.options.targets().map((t) => t.name));
    return [...this.known.values()].filter((n) => names.has(n.node)).sort((a, b) => a.node.localeCompare(b.node, undefined, { numeric: true }));
  }

  /** Asks every node this replica leads; with `skipCheckedSince`, not those asked since then (at a cold start, nodes an agent event asked meanwhile). */
  async checkOnce(options: { skipCheckedSince?: number } = {}): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    const since = options.skipCheckedSince;
    const due = since === undefined ? this.led() : this.led().filter((t) => (this.known.get(t.name)?.checkedAt ?? -Infinity) < since);
    try {
      await mapBounded(due, CHECK_CONCURRENCY, (t) => this.check(t));
    } finally {
      this.checking = false;
    }
  }

  /** Asks one node now (its agent told of a change). */
  async checkNode(name: string): Promise<void> {
    const target = this.led().find((t) => t.name === name);
    if (target) await this.check(target);
  }

  private check(target: AgentTarget): Promise<void> {
    const running = this.inFlight.get(target.name);
    if (running) return running;
    const check = this.ask(target).finally(() => this.inFlight.delete(target.name));
    this.inFlight.set(target.name, check);
    return check;
  }

  private async ask(target: AgentTarget): Promise<void> {
    const now = this.options.now?.() ?? Date.now();
    let known: NodeReconcile;
    try {
      const status = await withTimeout(this.options.read(target), this.options.timeoutMs, `agent ${target.name}: reconcileStatus`);
      known = { node: target.name, checkedAt: now, status };
    } catch (error) {
      known = { node: target.name, checkedAt: now, status: this.known.get(target.name)?.status, error: (error as Error).message };
    }
    this.known.set(target.name, known);
    await this.writes.learnt(known, known.error === undefined);
  }

  start(): void {
    this.timer ??= setInterval(() => void this.checkOnce().catch((e: Error) => console.error(`drift monitor: ${e.message}`)), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
