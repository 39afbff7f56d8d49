import { nodeFindings, type AgentEvent, type Finding, type NodeSnapshot } from "@netatlas/core";
import { displayUrl, type AgentTarget } from "../agent-target";
import type { AgentConnection } from "./agent-connection";
import { EventFanOut } from "./event-fan-out";
import { withTimeout } from "./with-timeout";
import { RECENT_EVENTS, type NodeState } from "./node-state";

/** Where what the poller learns goes (the database); failures there are logged, never stop polling. */
export interface FleetSink {
  snapshot(node: string, snapshot: NodeSnapshot, findings: Finding[]): Promise<void>;
  /** The agent answered that its snapshot is still the one stored last. */
  unchanged(node: string, at: Date): Promise<void>;
  seen(node: string, at: Date, error: string | undefined): Promise<void>;
  events(node: string, events: AgentEvent[]): Promise<void>;
}

export interface PollerOptions {
  connect: (target: AgentTarget) => AgentConnection;
  sink?: FleetSink;
  intervalMs: number;
  timeoutMs: number;
  concurrency: number;
  /** Each poll's duration and how it ended (the dashboard's metrics). */
  onPoll?: (node: string, ms: number, outcome: "changed" | "unchanged" | "failed") => void;
  log?: (message: string) => void;
  now?: () => number;
}

/** What the last round of polls cost: the nodes asked, how many sent a new snapshot, how many failed. */
export interface PollRound {
  startedAt: number;
  ms: number;
  nodes: number;
  changed: number;
  unchanged: number;
  failed: number;
}

type PolledState = NodeState & { connection: AgentConnection; unfollow?: () => void; hash?: string; soon?: NodeJS.Timeout };

/** An agent's events come in bursts (a pod brings a veth, addresses, routes): one poll after each burst. */
const EVENT_POLL_DELAY_MS = 150;

/**
 * Asks every agent for a snapshot on an interval, at most `concurrency` at a
 * time, each bounded by `timeoutMs`; follows each agent's event stream. Readers
 * get the last known state at once. Each node is polled on its own clock: a
 * slow or dead agent only makes its own node stale, never delays the others.
 * Each ask carries the hash of the snapshot held, and an agent whose node did
 * not change answers with the hash alone: a quiet fleet costs a few bytes a node.
 * An agent's event (its node changed) brings that node's poll forward.
 */
export class FleetPoller {
  private readonly states = new Map<string, PolledState>();
  /** Every agent event as it arrives, for the browser's live streams. */
  readonly liveEvents = new EventFanOut();
  private round: PollRound | undefined;
  private timer: NodeJS.Timeout | undefined;
  private version = 0;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly now: () => number;
  private readonly log: (message: string) => void;

  constructor(private readonly options: PollerOptions) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? ((m) => console.error(m));
  }

  /** Sets the nodes to watch: new ones are connected, gone ones dropped, changed ones reconnected. */
  setTargets(targets: readonly AgentTarget[]): void {
    const wanted = new Map(targets.map((t) => [t.name, t]));
    for (const [name, state] of this.states) {
      const next = wanted.get(name);
      if (!next || next.url !== state.target.url || next.token !== state.target.token) {
        state.unfollow?.();
        clearTimeout(state.soon);
        this.states.delete(name);
      }
    }
    for (const target of targets) if (!this.states.has(target.name)) this.states.set(target.name, { target, findings: [], events: [], inFlight: false, connection: this.options.connect(target) });
    this.version++;
  }

  /**
   * Goes up whenever a node's snapshot content changes or the nodes change: what is built
   * from the snapshots alone (not from when they were read) holds until it moves.
   */
  contentVersion(): number {
    return this.version;
  }

  targets(): AgentTarget[] {
    return [...this.states.values()].map((s) => s.target);
  }

  nodes(): NodeState[] {
    return [...this.states.values()].map(({ connection: _c, unfollow: _u, hash: _h, soon: _s, ...state }) => state);
  }

  node(name: string): NodeState | undefined {
    return this.nodes().find((n) => n.target.name === name);
  }

  /** The newest round that has ended. */
  lastRound(): PollRound | undefined {
    return this.round;
  }

  /** Polls every node whose previous poll has ended; resolves when these polls have. */
  async pollOnce(): Promise<void> {
    const startedAt = this.now();
    const due = [...this.states.values()].filter((s) => !s.inFlight);
    for (const state of due) state.inFlight = true;
    const outcomes = await Promise.all(due.map((state) => this.inSlot(() => this.pollNode(state))));
    const count = (o: string) => outcomes.filter((x) => x === o).length;
    this.round = { startedAt, ms: this.now() - startedAt, nodes: due.length, changed: count("changed"), unchanged: count("unchanged"), failed: count("failed") };
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.pollOnce(), this.options.intervalMs);
    void this.pollOnce();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const state of this.states.values()) {
      state.unfollow?.();
      clearTimeout(state.soon);
    }
    this.states.clear();
  }

  /** Runs `work` when fewer than `concurrency` polls are running (a slot is handed straight to the next waiter). */
  private async inSlot<T>(work: () => Promise<T>): Promise<T> {
    if (this.running < this.options.concurrency) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  private async pollNode(state: PolledState): Promise<"changed" | "unchanged" | "failed"> {
    const name = state.target.name;
    const startedAt = this.now();
    let outcome: "changed" | "unchanged" | "failed" = "failed";
    try {
      const known = state.snapshot ? state.hash : undefined;
      const answer = await withTimeout(state.connection.snapshot(known), this.options.timeoutMs, `agent ${name} (${displayUrl(state.target.url)})`);
      if (!state.unfollow) this.follow(state);
      if (answer.snapshot) {
        const findings = nodeFindings(answer.snapshot);
        Object.assign(state, { snapshot: answer.snapshot, hash: answer.hash, findings, lastSeenAt: this.now(), lastError: undefined });
        this.version++;
        await this.toSink(() => this.options.sink?.snapshot(name, answer.snapshot as NodeSnapshot, findings));
        outcome = "changed";
      } else {
        // Same content: only the moment of the read moves on (findings depend on content alone).
        Object.assign(state, { snapshot: { ...state.snapshot, collectedAt: answer.collectedAt }, lastSeenAt: this.now(), lastError: undefined });
        await this.toSink(() => this.options.sink?.unchanged(name, new Date(answer.collectedAt)));
        outcome = "unchanged";
      }
    } catch (error) {
      state.lastError = describeFailure(name, displayUrl(state.target.url), error);
    } finally {
      state.inFlight = false;
    }
    this.options.onPoll?.(name, this.now() - startedAt, outcome);
    await this.toSink(() => this.options.sink?.seen(name, new Date(this.now()), state.lastError));
    return outcome;
  }

  /**
   * The agent says its node changed, and it publishes only after reading the change: ask
   * for the snapshot now rather than at the node's next round. A poll still running may
   * have read too early, so the ask waits for it and comes after.
   */
  private pollSoon(state: PolledState): void {
    if (!this.timer || state.soon) return;
    state.soon = setTimeout(() => {
      state.soon = undefined;
      if (this.states.get(state.target.name) !== state) return;
      if (state.inFlight) return this.pollSoon(state);
      state.inFlight = true;
      void this.inSlot(() => this.pollNode(state));
    }, EVENT_POLL_DELAY_MS);
  }

  private follow(state: PolledState): void {
    state.unfollow = state.connection.follow(
      (event) => {
        state.events.push(event);
        if (state.events.length > RECENT_EVENTS) state.events.splice(0, state.events.length - RECENT_EVENTS);
        this.liveEvents.publish(state.target.name, event);
        this.pollSoon(state);
        void this.toSink(() => this.options.sink?.events(state.target.name, [event]));
      },
      (error) => {
        state.unfollow = undefined;
        this.log(`agent ${state.target.name}: event stream ended: ${error.message}; it is resumed at the next successful poll`);
      },
    );
  }

  private async toSink(write: () => Promise<void> | undefined): Promise<void> {
    try {
      await write();
    } catch (error) {
      this.log(`dashboard database: ${(error as Error).message}`);
    }
  }
}

/** "agent node1 (unix:/run/a.sock): connect ENOENT …", with the underlying cause when the client wrapped it. */
function describeFailure(name: string, url: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith(`agent ${name} `)) return message;
  // fetch wraps the socket's error twice ("fetch failed" <- "connect ENOENT /run/…"): the innermost says what is wrong.
  let root: unknown = error;
  while (root instanceof Error && root.cause instanceof Error) root = root.cause;
  const cause = root instanceof Error && root !== error && root.message !== message ? ` (${root.message})` : "";
  // Something answered, but not a netatlas agent's tRPC (a proxy's 404, a wrong port).
  const status = (error as { meta?: { response?: { status?: number } } }).meta?.response?.status;
  const http = status && status >= 400 ? `HTTP ${status}, is this a netatlas agent's address? ` : "";
  return `agent ${name} (${url}): ${http}${message}${cause}`;
}
