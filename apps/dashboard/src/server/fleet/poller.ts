import { nodeFindings, type AgentEvent, type Finding } from "@netatlas/core";
import { displayUrl, type AgentTarget } from "../agent-target";
import type { NodeStateRecord } from "../store/snapshot-store";
import type { AgentConnection } from "./agent-connection";
import { EventFanOut } from "./event-fan-out";
import { NodeStream } from "./node-stream";
import { NodeWrites, type FleetSink } from "./node-writes";
import { withTimeout } from "./with-timeout";
import { RECENT_EVENTS, type NodeState } from "./node-state";

export type { FleetSink } from "./node-writes";

export interface PollerOptions {
  connect: (target: AgentTarget) => AgentConnection;
  sink?: FleetSink;
  /** How often a node that does not stream (an older agent, or one whose stream is down) is polled. */
  intervalMs: number;
  timeoutMs: number;
  /** How many polls run at once. */
  concurrency: number;
  /** Each poll's duration and how it ended (the dashboard's metrics). */
  onPoll?: (node: string, ms: number, outcome: "changed" | "unchanged" | "failed") => void;
  /** Each stream message by type, and each stream failure (the dashboard's metrics). */
  onStream?: (node: string, what: "full" | "delta" | "heartbeat" | "failed") => void;
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

/** What the poller keeps of a node besides what readers see. */
interface NodeLink {
  connection: AgentConnection;
  stream?: NodeStream;
  /** The agent cannot stream: it is polled on the interval. */
  polled: boolean;
  writes: NodeWrites;
  unfollow?: () => void;
  hash?: string;
  soon?: NodeJS.Timeout;
}

/** A polled agent's events come in bursts (a pod brings a veth, addresses, routes): one poll after each burst. */
const EVENT_POLL_DELAY_MS = 150;

/** Whole snapshots wait for the streams' openings at most this long: agents that keep failing do not hold history back for good. */
const WHOLE_WRITES_HELD_MAX_MS = 60_000;

/**
 * Follows every agent's snapshot stream: the node's whole snapshot once, then deltas
 * applied to the state held, and heartbeats; a stream that fails or goes quiet is
 * reopened with backoff and jitter, and meanwhile the node shows the error. Polling
 * is only the fallback: for an agent without a stream (asked with the hash held, so
 * an unchanged node costs a few bytes), and for a node whose stream is down. Readers
 * get the last known state at once; no request waits for an agent.
 */
export class FleetPoller {
  private readonly states = new Map<string, { view: NodeState; link: NodeLink }>();
  /** Every agent event as it arrives, for the browser's live streams. */
  readonly liveEvents = new EventFanOut();
  private round: PollRound | undefined;
  private timer: NodeJS.Timeout | undefined;
  private version = 0;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** Writes of whole snapshots waiting for the streams' openings to end. */
  private readonly afterOpenings: (() => void)[] = [];
  /** Ends once the whole snapshot being written (if any) is. */
  private wholeWritten: Promise<void> = Promise.resolve();
  private readonly now: () => number;
  private readonly log: (message: string) => void;

  constructor(private readonly options: PollerOptions) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? ((m) => console.error(m));
  }

  /** Sets the nodes to follow: new ones are connected, gone ones dropped, changed ones reconnected. */
  setTargets(targets: readonly AgentTarget[]): void {
    const wanted = new Map(targets.map((t) => [t.name, t]));
    for (const [name, { view }] of this.states) {
      const next = wanted.get(name);
      if (!next || next.url !== view.target.url || next.token !== view.target.token) this.drop(name);
    }
    for (const target of targets) {
      if (this.states.has(target.name)) continue;
      const link: NodeLink = { connection: this.options.connect(target), polled: false, writes: new NodeWrites(target.name, this.options.sink, this.log, this.now, () => this.turnForWhole()) };
      this.states.set(target.name, { view: { target, findings: [], events: [], inFlight: false }, link });
      if (this.timer) this.startStream(target.name);
    }
    this.version++;
  }

  /** Connects the node anew (a replica that takes over or gives up its agent). */
  reconnect(name: string): void {
    const entry = this.states.get(name);
    if (!entry) return;
    this.drop(name);
    this.setTargets([...this.targets(), entry.view.target]);
    // What the node showed stays until the new connection's first state: a replica that takes over a node does not blank it meanwhile.
    const { snapshot, findings, lastSeenAt, heardEveryMs, lastError, events } = entry.view;
    const next = this.states.get(name);
    if (next) Object.assign(next.view, { snapshot, findings, lastSeenAt, heardEveryMs, lastError, events });
  }

  /**
   * Goes up whenever a node's snapshot content changes or the nodes change: what is built
   * from the snapshots alone (not from when they were read) holds until it moves.
   */
  contentVersion(): number {
    return this.version;
  }

  targets(): AgentTarget[] {
    return [...this.states.values()].map((s) => s.view.target);
  }

  nodes(): NodeState[] {
    return [...this.states.values()].map((s) => ({ ...s.view }));
  }

  node(name: string): NodeState | undefined {
    const entry = this.states.get(name);
    return entry && { ...entry.view };
  }

  /** The newest round of polls that has ended. */
  lastRound(): PollRound | undefined {
    return this.round;
  }

  /** The nodes whose newest state is not in the history yet (after a cold start, until the whole snapshots are written). */
  historyBacklog(): number {
    let behind = 0;
    for (const { link } of this.states.values()) if (link.writes.behind) behind++;
    return behind;
  }

  /** Resolves once no stream is opening (a cold start has every node's first state), or after WHOLE_WRITES_HELD_MAX_MS. */
  openingsSettled(): Promise<void> {
    return this.openingsEnded() ?? Promise.resolve();
  }

  /** Resolves once every database write asked for so far has ended (tests, and a clean stop). */
  async settled(): Promise<void> {
    await Promise.all([...this.states.values()].map((s) => s.link.writes.settled()));
  }

  /**
   * Polls every node without a stream, or whose stream is down, and whose previous poll has
   * ended; resolves when these polls have. A stream still opening (waiting for room, or for
   * its whole snapshot) is not down: a poll would fetch the same snapshot twice.
   */
  async pollOnce(): Promise<void> {
    const startedAt = this.now();
    const due = [...this.states.values()].filter((s) => !s.view.inFlight && (!s.link.stream || s.link.stream.down));
    for (const { view } of due) view.inFlight = true;
    const outcomes = await Promise.all(due.map((entry) => this.inSlot(() => this.pollNode(entry))));
    const count = (o: string) => outcomes.filter((x) => x === o).length;
    this.round = { startedAt, ms: this.now() - startedAt, nodes: due.length, changed: count("changed"), unchanged: count("unchanged"), failed: count("failed") };
  }

  /** Opens every node's stream, and polls on the interval those that do not stream. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.pollOnce(), this.options.intervalMs);
    for (const name of this.states.keys()) this.startStream(name);
  }

  /** Stops following every node; resolves once the database writes already asked for have ended. */
  stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    const writes = [...this.states.values()].map((s) => s.link.writes.settled());
    for (const name of [...this.states.keys()]) this.drop(name);
    return Promise.all(writes).then(() => undefined);
  }

  private drop(name: string): void {
    const entry = this.states.get(name);
    if (!entry) return;
    entry.link.stream?.stop();
    entry.link.unfollow?.();
    clearTimeout(entry.link.soon);
    this.states.delete(name);
    this.openingEnded();
  }

  private startStream(name: string): void {
    const entry = this.states.get(name);
    if (!entry || entry.link.stream || entry.link.polled) return;
    const { view, link } = entry;
    const where = `agent ${name} (${displayUrl(view.target.url)})`;
    link.stream = new NodeStream(
      link.connection,
      {
        state: (record, findings) => {
          this.options.onStream?.(name, record.delta ? "delta" : "full");
          this.takeState(entry, record, findings);
          // Heard from now; judged by the stream's heartbeat from here on, not the poll interval.
          view.heardEveryMs = link.stream?.heardEveryMs;
          if (!link.unfollow) this.follow(entry);
          this.openingEnded();
        },
        alive: (everyMs) => {
          this.options.onStream?.(name, "heartbeat");
          Object.assign(view, { lastSeenAt: this.now(), lastError: undefined, heardEveryMs: everyMs });
          link.writes.seen(undefined, new Date(this.now()));
        },
        failed: (error, retryInMs) => {
          this.options.onStream?.(name, "failed");
          view.lastError = `${describeFailure(name, displayUrl(view.target.url), error)}; reconnecting in ${(retryInMs / 1000).toFixed(1)} s`;
          link.writes.seen(view.lastError);
          this.openingEnded();
        },
        unsupported: (error) => {
          this.log(`${where}: ${error.message}`);
          link.stream = undefined;
          link.polled = true;
          view.inFlight = true;
          void this.inSlot(() => this.pollNode(entry));
          this.openingEnded();
        },
      },
      // The opening of a stream takes a slot as a poll does: the whole snapshot comes first.
      { firstMessageMs: this.options.timeoutMs, slot: (opening) => this.inSlot(opening) },
    );
    link.stream.start();
  }

  /** A new state of the node, from its stream or a poll (its findings found here unless they came with it). */
  private takeState(entry: { view: NodeState; link: NodeLink }, record: NodeStateRecord, findings: Finding[] = nodeFindings(record.snapshot)): void {
    Object.assign(entry.view, { snapshot: record.snapshot, findings, lastSeenAt: this.now(), lastError: undefined });
    entry.link.hash = record.hash;
    this.version++;
    entry.link.writes.state(record, findings);
    entry.link.writes.seen(undefined);
  }

  private anyOpening(): boolean {
    for (const { link } of this.states.values()) if (link.stream?.opening) return true;
    return false;
  }

  /**
   * A whole snapshot's turn to be written, once no stream is opening (or after
   * WHOLE_WRITES_HELD_MAX_MS): a cold start shows every node first and fills in its
   * history after. One at a time, each after the event loop had a turn for I/O: the
   * embedded database writes on the event loop, and a fleet's worth of whole snapshots
   * written back to back would hold the streams' messages (heartbeats) until they are
   * taken for silent. Returns the end of the turn.
   */
  private async turnForWhole(): Promise<() => void> {
    await this.openingsEnded();
    const before = this.wholeWritten;
    let endTurn!: () => void;
    this.wholeWritten = new Promise((resolve) => (endTurn = resolve));
    await before;
    await new Promise((resolve) => setImmediate(resolve));
    return endTurn;
  }

  /** While a stream is opening, a promise that resolves once none is (or after WHOLE_WRITES_HELD_MAX_MS). */
  private openingsEnded(): Promise<void> | undefined {
    if (!this.anyOpening()) return undefined;
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, WHOLE_WRITES_HELD_MAX_MS);
      this.afterOpenings.push(() => (clearTimeout(timer), resolve()));
    });
  }

  /** A stream's opening ended (its first message, a failure, or the node dropped): the held writes go once it was the last. */
  private openingEnded(): void {
    if (this.afterOpenings.length && !this.anyOpening()) for (const resume of this.afterOpenings.splice(0)) resume();
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

  private async pollNode(entry: { view: NodeState; link: NodeLink }): Promise<"changed" | "unchanged" | "failed"> {
    const { view, link } = entry;
    const name = view.target.name;
    const startedAt = this.now();
    let outcome: "changed" | "unchanged" | "failed" = "failed";
    try {
      const known = view.snapshot ? link.hash : undefined;
      const answer = await withTimeout(link.connection.snapshot(known), this.options.timeoutMs, `agent ${name} (${displayUrl(view.target.url)})`);
      if (!link.unfollow) this.follow(entry);
      if (answer.snapshot) {
        this.takeState(entry, { snapshot: answer.snapshot, hash: answer.hash });
        view.heardEveryMs = undefined;
        outcome = "changed";
      } else {
        // Same content: only the moment of the read moves on (findings depend on content alone).
        Object.assign(view, { snapshot: { ...view.snapshot, collectedAt: answer.collectedAt }, lastSeenAt: this.now(), lastError: undefined, heardEveryMs: undefined });
        link.writes.seen(undefined, new Date(answer.collectedAt));
        outcome = "unchanged";
      }
    } catch (error) {
      view.lastError = describeFailure(name, displayUrl(view.target.url), error);
      link.writes.seen(view.lastError);
    } finally {
      view.inFlight = false;
    }
    this.options.onPoll?.(name, this.now() - startedAt, outcome);
    return outcome;
  }

  /**
   * A polled agent says its node changed, and it publishes only after reading the change:
   * ask for the snapshot now rather than at the next round. A poll still running may have
   * read too early, so the ask waits for it and comes after. A streaming node needs none.
   */
  private pollSoon(entry: { view: NodeState; link: NodeLink }): void {
    const { view, link } = entry;
    if (!this.timer || link.soon || link.stream?.live) return;
    link.soon = setTimeout(() => {
      link.soon = undefined;
      if (this.states.get(view.target.name) !== entry) return;
      if (view.inFlight) return this.pollSoon(entry);
      view.inFlight = true;
      void this.inSlot(() => this.pollNode(entry));
    }, EVENT_POLL_DELAY_MS);
  }

  private follow(entry: { view: NodeState; link: NodeLink }): void {
    const { view, link } = entry;
    link.unfollow = link.connection.follow(
      (event: AgentEvent) => {
        view.events.push(event);
        if (view.events.length > RECENT_EVENTS) view.events.splice(0, view.events.length - RECENT_EVENTS);
        this.liveEvents.publish(view.target.name, event);
        this.pollSoon(entry);
        link.writes.events([event]);
      },
      (error) => {
        link.unfollow = undefined;
        this.log(`agent ${view.target.name}: event stream ended: ${error.message}; it is resumed with the node's next state`);
      },
    );
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
