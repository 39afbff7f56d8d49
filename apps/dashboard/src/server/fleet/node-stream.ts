import { applySnapshotDelta, type Finding, type NodeSnapshot } from "@netatlas/core";
import { DEFAULT_HEARTBEAT_MS, positionOf, type SnapshotStreamMessage } from "@netatlas/agent-api";
import type { NodeStateRecord } from "../store/snapshot-store";
import type { AgentConnection } from "./agent-connection";
import type { WholeSnapshot } from "./whole-snapshot";

/** The agent has no snapshot stream (an older netatlas): the node is polled instead. */
export class StreamUnsupportedError extends Error {
  override name = "StreamUnsupportedError";
}

export interface NodeStreamHandlers {
  /** A new state of the node: whole (the first, or after a gap) or a delta applied to the one held; with its findings when they came with it. */
  state(record: NodeStateRecord, findings?: Finding[]): void;
  /** The agent said its node is still in the state held (a heartbeat); it says so every `everyMs`. */
  alive(everyMs: number): void;
  /** The stream ended, or went quiet for two heartbeats; it is opened again in `retryInMs`. */
  failed(error: Error, retryInMs: number): void;
  /** The agent cannot stream; nothing is retried. */
  unsupported(error: Error): void;
}

export interface NodeStreamOptions {
  /** How long the stream's first message may take (the whole snapshot, or the first heartbeat when resuming). */
  firstMessageMs: number;
  /** The first retry's delay; each further one doubles, up to `maxRetryMs`, with jitter. */
  firstRetryMs?: number;
  maxRetryMs?: number;
  random?: () => number;
  /**
   * Runs each opening of the stream that asks for the whole snapshot when there is room, and
   * gives the room back when the opening ends (its first message, or its failure): a fleet that connects at once then
   * has only so many whole snapshots on their way, each within its deadline, instead of
   * all of them crawling in together past it and being asked for again. Without it, the
   * stream opens at once.
   */
  slot?: (opening: () => Promise<void>) => Promise<void>;
}

/**
 * One agent's snapshot stream, kept open: holds the node's state as of the stream's
 * position, applies each delta to it (a delta that does not follow the state held
 * means a gap: the stream starts over with the whole snapshot), notices silence
 * (nothing for two heartbeats: the agent is gone or cut off) and reconnects with
 * exponential backoff and jitter, resuming from the position held.
 */
export class NodeStream {
  private held: { snapshot: NodeSnapshot; hash: string; position: string } | undefined;
  private close: (() => void) | undefined;
  /** The connection whose messages count; a closed one's late messages are ignored. */
  private attempt: object | undefined;
  private quiet: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private failures = 0;
  /** Ends the opening in progress (its slot is free again). */
  private opened: (() => void) | undefined;
  private heartbeatMs = DEFAULT_HEARTBEAT_MS;
  private stopped = false;
  /** True from the first message of a connection until it fails. */
  live = false;

  /** From its opening (a slot asked for) until its first message or its failure. */
  get opening(): boolean {
    return this.attempt !== undefined && !this.live;
  }

  /** How often the agent says it is alive (its heartbeat; the default until it has said so). */
  get heardEveryMs(): number {
    return this.heartbeatMs;
  }

  /** It failed since its last message, and is being opened again: meanwhile the node needs polls. */
  get down(): boolean {
    return this.failures > 0;
  }

  constructor(
    private readonly connection: AgentConnection,
    private readonly handlers: NodeStreamHandlers,
    private readonly options: NodeStreamOptions,
  ) {}

  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    this.disconnect();
    clearTimeout(this.retry);
  }

  private open(): void {
    if (this.stopped) return;
    const attempt = (this.attempt = {});
    // Resuming from a state held, the agent sends only what changed since (often nothing until its heartbeat): no room to take.
    if (this.held) return this.connect(attempt);
    const { slot = (opening: () => Promise<void>) => opening() } = this.options;
    void slot(() => {
      // Stopped, or opened anew, while it waited for room.
      if (this.attempt !== attempt) return Promise.resolve();
      const opening = new Promise<void>((resolve) => (this.opened = resolve));
      if (this.connection.full) void this.openWhole(attempt);
      else this.connect(attempt);
      return opening;
    });
  }

  /**
   * Without a state held: the whole snapshot first, as a plain answer where the agent has
   * one (made once, where a stream would encode it anew for each client), then the stream
   * from its position. Without that answer (an older agent; or it failed: a snapshot over
   * the agent's answer bound, no room at its gate, no agent) the stream sends the whole
   * snapshot itself, and says what is wrong if it cannot.
   */
  private async openWhole(attempt: object): Promise<void> {
    const full = await this.connection.full?.().catch(() => undefined);
    if (this.attempt !== attempt) return;
    if (full) this.receive(full);
    this.connect(attempt);
  }

  private connect(attempt: object): void {
    this.expectWithin(this.options.firstMessageMs + this.heartbeatMs);
    this.close = this.connection.stream(
      this.held?.position,
      (message) => this.attempt === attempt && this.receive(message),
      (error) => this.attempt === attempt && this.fail(error),
    );
  }

  private endOpening(): void {
    this.opened?.();
    this.opened = undefined;
  }

  private disconnect(): void {
    this.endOpening();
    this.attempt = undefined;
    this.live = false;
    this.close?.();
    this.close = undefined;
    clearTimeout(this.quiet);
    clearTimeout(this.retry);
  }

  private expectWithin(ms: number): void {
    clearTimeout(this.quiet);
    const quiet = setTimeout(() => {
      // Timers run before I/O: after a busy stretch of the event loop, a message may be waiting behind this one. It is read first.
      setImmediate(() => this.quiet === quiet && this.fail(new Error(`no message from the agent for ${ms} ms (two heartbeats)`)));
    }, ms);
    this.quiet = quiet;
  }

  private receive(message: SnapshotStreamMessage | WholeSnapshot): void {
    this.endOpening();
    this.live = true;
    this.failures = 0;
    if (message.type === "heartbeat") this.heartbeatMs = message.intervalMs;
    this.expectWithin(2 * this.heartbeatMs);
    const held = this.held;
    if (message.type === "full") {
      this.held = { snapshot: message.snapshot, hash: message.hash, position: positionOf(message) };
      this.handlers.state({ snapshot: message.snapshot, hash: message.hash }, "findings" in message ? message.findings : undefined);
    } else if (message.type === "delta") {
      // Only a delta from the state held applies to it; anything else is a gap.
      if (!held || held.position !== `${message.epoch}:${message.from}`) return this.restart(undefined);
      const snapshot = applySnapshotDelta(held.snapshot, message.delta);
      this.held = { snapshot, hash: message.hash, position: positionOf(message) };
      this.handlers.state({ snapshot, hash: message.hash, delta: message.delta, deltaFrom: held.hash });
    } else if (held?.position !== positionOf(message)) {
      // The agent is elsewhere (restarted, or a delta went missing): ask again from what is held.
      this.restart(held?.position);
    } else {
      this.handlers.alive(message.intervalMs);
    }
  }

  /** Opens the stream again at once, from `position` (undefined: the whole snapshot). */
  private restart(position: string | undefined): void {
    if (!position) this.held = undefined;
    this.disconnect();
    this.open();
  }

  private fail(error: Error): void {
    this.disconnect();
    if (this.stopped) return;
    if (error instanceof StreamUnsupportedError) return this.handlers.unsupported(error);
    this.failures++;
    const ceiling = Math.min(this.options.maxRetryMs ?? 30_000, (this.options.firstRetryMs ?? 500) * 2 ** (this.failures - 1));
    // Half fixed, half random: agents that went away together do not all come back at one instant.
    const delay = Math.round(ceiling / 2 + ((this.options.random ?? Math.random)() * ceiling) / 2);
    this.handlers.failed(error, delay);
    this.retry = setTimeout(() => this.open(), delay);
  }
}
