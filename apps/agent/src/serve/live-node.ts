import { diffSnapshots, type NamespaceState, type NetworkChange, type NodeInfo, type NodeSnapshot } from "@netatlas/core";
import { EventLog } from "@netatlas/agent-api";
import { chooseNamespaceReader, configuredNames, decodeKernelChange, readMemoryPressure, readNamespaceNetlinkSync, readNetnsIds, readNodeInfo, readNsidTable, snapshotNode, subscribeRtnetlink, type NotificationBatch, type RtnetlinkSubscription, type SnapshotNodeOptions } from "@netatlas/linux";
import type { Logger } from "pino";
import { readDrift } from "./kernel-drift.js";
import type { AgentMetrics } from "./metrics.js";
import { watchNetnsDirs } from "./netns-watch.js";
import { NodeView, type NamespaceRead } from "./node-view.js";
import { OwnNsids } from "./own-nsids.js";
import { ReadQueue, type ReadKind } from "./read-queue.js";
import { Throttle } from "./throttle.js";

export interface LiveNodeOptions extends SnapshotNodeOptions {
  /** Without notifications to follow, a request never gets a snapshot older than this. */
  maxAgeMs: number;
  /** A full read even while notifications are followed: a safety net for them (its drift is counted), and namespaces' sysctls. */
  resyncMs: number;
  /** A read of what no notification tells (processes, pods' holders, Docker, the host's nft), keeping the followed namespaces as notified. */
  factsMs: number;
  /** The notification socket's receive buffer (tests shrink it to provoke ENOBUFS). */
  notificationBufferBytes?: number;
}

/** How long namespace churn (a directory event, an nsid) is gathered before the namespaces are read, link and address changes before their namespace is read again, and changes before listeners hear of them. */
const GATHER_MS = 20;
/**
 * Under a storm of changes, how often at most the node's namespaces are read (churn), the
 * namespaces whose links or addresses changed are read again whole, and listeners get a
 * new snapshot: each costs the whole node or namespace, where a route, neighbour or FDB
 * change costs only itself (issue 16's churn bench: 100 namespace changes a second
 * otherwise kept the agent reading the node without pause).
 */
export const UNDER_CHURN_MS = 2_000;

/**
 * The node's current state. With the netlink addon it follows rtnetlink's notifications
 * (see subscribeRtnetlink) and applies each change to the state it keeps: a route,
 * neighbour or FDB entry in place, a link or address change by reading that one
 * namespace again; each change becomes events at once. Namespaces that come and go
 * (nsid notifications, the netns directories) are read or dropped alone; a namespace
 * with no nsid in ours sends nothing, and is read at each of those reads and at the
 * periodic full read, which also counts what the notifications missed (the drift
 * metric). Lost notifications (ENOBUFS) make a full read and a "resync" event.
 * Without the addon, the node is read again when a request finds it older than maxAgeMs.
 */
export class LiveNode {
  readonly events: EventLog;
  private view?: NodeView;
  private polled?: NodeSnapshot;
  private readAt = 0;
  private subscription?: RtnetlinkSubscription;
  private nsids?: OwnNsids;
  /** Namespaces whose state changed while a read of the node was under way. */
  private busy?: Set<number>;
  private readonly reads = new ReadQueue((kind) => this.readNode(kind));
  private timers: { resync?: NodeJS.Timeout; facts?: NodeJS.Timeout; retry?: NodeJS.Timeout } = {};
  private readonly lightReads = new Throttle(() => void this.reads.read("light").catch(() => undefined), GATHER_MS, UNDER_CHURN_MS);
  /** Followed namespaces to read again whole (their links or addresses changed), by the next run of `rereads`. */
  private readonly rereadsDue = new Set<number>();
  private readonly rereads = new Throttle(() => this.rereadDue(), GATHER_MS, UNDER_CHURN_MS);
  private readonly toListeners = new Throttle(() => this.tellListeners(), GATHER_MS, UNDER_CHURN_MS);
  private pairingQueued = false;
  /** Notifications were lost since the last full read began: what the view lacks then is no drift. */
  private overflowed = false;
  /** nsids heard from but not mapped: each makes one light read, not one per message (cleared by each full read). */
  private readonly unmapped = new Set<number>();
  private watcher?: { close(): void };
  private info?: NodeInfo;
  private readonly listeners: Array<(snapshot: NodeSnapshot) => void> = [];

  constructor(
    private readonly options: LiveNodeOptions,
    private readonly metrics: AgentMetrics,
    private readonly log: Logger,
    readonly nodeName: string,
  ) {
    this.events = new EventLog(nodeName);
  }

  async start(): Promise<NodeSnapshot> {
    await this.readInfo();
    // Subscribed before the first read, so no change falls between that read and the notifications after it.
    if ((await chooseNamespaceReader(this.options.reader ?? "auto")).kind === "netlink") this.follow();
    await this.reads.read("full");
    this.watcher = watchNetnsDirs([this.options.netnsDir, this.options.dockerNetnsDir].filter((d): d is string => !!d), () => this.churned(), this.log);
    // The safety resync reads the node whatever the host facts do; a failure of either is logged (the read logs its own).
    this.timers.resync = setInterval(() => {
      void this.readInfo()
        .catch((error: Error) => this.log.warn({ err: error }, "reading the host's facts failed; the last ones are kept"))
        .then(() => this.reads.read("full"))
        .catch(() => undefined);
    }, this.options.resyncMs);
    this.timers.resync.unref();
    // Without notifications every read is a full one; with them, what they do not tell is read more often than the whole node.
    this.timers.facts = setInterval(() => void this.reads.read(this.subscription ? "facts" : "full").catch(() => undefined), this.options.factsMs);
    this.timers.facts.unref();
    return this.latest() as NodeSnapshot;
  }

  stop(): void {
    this.subscription?.close();
    this.subscription = undefined;
    this.watcher?.close();
    for (const timer of [this.timers.resync, this.timers.facts, this.timers.retry]) clearTimeout(timer);
    for (const throttle of [this.lightReads, this.rereads, this.toListeners]) throttle.cancel();
  }

  private follow(): void {
    try {
      this.subscription = subscribeRtnetlink((batch) => this.onBatch(batch), { receiveBufferBytes: this.options.notificationBufferBytes });
      this.nsids ??= new OwnNsids();
    } catch (error) {
      this.metrics.errors.inc({ where: "notifications" });
      this.log.warn({ err: error }, "cannot follow rtnetlink notifications; the node is read again when a request finds it older than --max-age-ms, and every --resync-ms");
    }
  }

  /** Host facts, with the memory pressure a long-running agent should show (re-read at every resync). */
  private async readInfo(): Promise<void> {
    const [info, memory] = await Promise.all([readNodeInfo(), readMemoryPressure().catch(() => undefined)]);
    this.info = { ...info, ...memory };
  }

  latest(): NodeSnapshot | undefined {
    return this.view?.latest() ?? this.polled;
  }

  /** A snapshot no older than the bound (and the caller's own, if stricter); while notifications are followed, the kept state is current. */
  async snapshot(maxAgeMs?: number): Promise<NodeSnapshot> {
    const bound = Math.min(maxAgeMs ?? Infinity, this.options.maxAgeMs);
    // "No older than 0 ms" means a read that starts now.
    if (bound === 0) return this.fresh();
    if (this.subscription && this.view) await this.catchUp();
    const latest = this.latest();
    if (latest && ((this.subscription && this.view) || Date.now() - this.readAt <= bound)) return latest;
    await this.reads.read("full");
    return this.latest() as NodeSnapshot;
  }

  /**
   * A snapshot from a full read that started after this call: for decisions that must
   * not act on a state from before a change (a notification may still be on its way).
   */
  async fresh(): Promise<NodeSnapshot> {
    await this.reads.read("full");
    return this.latest() as NodeSnapshot;
  }

  /**
   * Does now what the notifications asked for and a throttle holds back (namespaces to read
   * again, a read of the node's namespaces): a request gets the state as the notifications
   * so far tell it, even under churn.
   */
  private async catchUp(): Promise<void> {
    if (this.rereads.cancel()) this.rereadDue();
    // A read that fails has logged why; the request gets the state as it is.
    if (this.lightReads.cancel()) await this.reads.read("light").catch(() => undefined);
  }

  /** Calls `listener` with the new snapshot after changes (gathered for a moment, under a storm of them at most once every UNDER_CHURN_MS; events are not held up by it). */
  onSnapshot(listener: (snapshot: NodeSnapshot) => void): void {
    this.listeners.push(listener);
  }

  private churned(): void {
    if (this.subscription) this.lightReads.ask();
  }

  /**
   * Reads the node (see ReadKind): "full" reads every namespace; "facts" and "light" only
   * those not followed and keep the rest as notified, "facts" with the host's nft rules.
   */
  private async readNode(kind: ReadKind): Promise<void> {
    const view = this.view;
    const reads = new Map<number, NamespaceRead>();
    const heldRules = new Map<number, Pick<NamespaceState, "nat" | "filter">>();
    // A namespace still to be read again is not yet what its notifications made it: like one that changes during the read, no drift is counted in it.
    const busy = (this.busy = new Set<number>(this.rereadsDue));
    const afterOverflow = kind === "full" && this.overflowed;
    if (kind === "full") this.overflowed = false;
    const started = performance.now();
    let read: NodeSnapshot;
    try {
      read = await snapshotNode({
        ...this.options,
        nodeName: this.nodeName,
        info: this.info,
        held: kind !== "full" && view ? (ns) => (this.nsids?.followed(ns.id) ? view.held(ns.id) : undefined) : undefined,
        heldHostNft: kind === "facts",
        onHeldRules: (ns, rules) => heldRules.set(ns.id, rules),
        onNamespaceRead: (ns, r) => void (r.linkTable && reads.set(ns.id, { ns, state: r.state, linkTable: r.linkTable })),
      });
      // Every notification of a change made before the read ended is in (and its namespace is busy).
      this.subscription?.flush();
    } catch (error) {
      this.metrics.errors.inc({ where: "snapshot" });
      this.log.error({ err: error }, "reading the node failed");
      throw error;
    } finally {
      this.busy = undefined;
    }
    if (kind === "full") this.metrics.snapshotDuration.observe((performance.now() - started) / 1000);
    this.metrics.namespaces.set(read.namespaces.length);
    this.readAt = Date.now();
    if (!this.subscription || !this.nsids) {
      const before = this.polled;
      this.polled = read;
      return this.publish(before ? diffSnapshots(before, read) : []);
    }
    // From here on nothing waits: the view, the nsid map and the reads of namespaces that
    // changed meanwhile (or are followed only from now) are one step, before any later notification.
    if (kind === "full") this.unmapped.clear();
    if (kind === "full" && view && !afterOverflow && !this.overflowed) this.countDrift(readDrift(view, reads, (id) => !busy.has(id) && !!this.nsids?.followed(id)));
    const events = view ? view.adopt(read, reads, (id) => busy.has(id), heldRules) : [];
    const now = view ?? new NodeView(read, reads);
    // Following (again) after a while without: what changed meanwhile.
    if (!view && this.polled) events.push(...diffSnapshots(this.polled, now.latest()));
    this.view = now;
    this.polled = undefined;
    const newlyFollowed = this.nsids.map(now.ids().map((id) => ({ id, path: now.enterPath(id) as string })));
    // A first read's namespaces changed unseen while it ran (no nsid was mapped yet): each followed one is read again.
    // Later, those it read while they changed; one it took as held is the view itself, kept by the notifications all along.
    const again = view ? [...[...busy].filter((id) => reads.has(id)), ...newlyFollowed] : now.ids().filter((id) => this.nsids?.followed(id));
    for (const id of new Set(again)) events.push(...this.rereadNamespace(id));
    this.publish(events);
  }

  /** What the notifications missed (in followed namespaces that did not change while the read ran): counted and logged. */
  private countDrift(drift: string[]): void {
    if (drift.length === 0) return;
    this.metrics.drift.inc(drift.length);
    this.log.warn({ entries: drift.length, drift: drift.slice(0, 20) }, "a full read found entries the notifications did not tell of; taking the read");
  }

  private onBatch(batch: NotificationBatch): void {
    if (batch.error) return this.lost(batch.error);
    const events: NetworkChange[] = [];
    if (batch.overflow) {
      this.overflowed = true;
      this.metrics.overflows.inc();
      events.push({ kind: "resync", action: "changed", subject: "the kernel dropped notifications (ENOBUFS): the node is read again in full" });
      void this.reads.read("full").catch(() => undefined);
    }
    const view = this.view;
    const nsids = this.nsids;
    if (!view || !nsids) return this.publish(events); // the first read is under way: it reads every followed namespace again when done
    let churned = false;
    for (const { nsid, message } of batch.notifications) {
      const netns = nsids.netnsOf(nsid);
      const table = netns === undefined ? undefined : view.linkTable(netns);
      if (netns === undefined || !table) {
        // From a namespace not mapped (yet): the light read that maps it reads it too.
        churned ||= !this.unmapped.has(nsid);
        this.unmapped.add(nsid);
        this.metrics.notifications.inc({ outcome: "unmapped" });
        continue;
      }
      const change = decodeKernelChange(message, netns, table, configuredNames());
      this.metrics.notifications.inc({ outcome: !change ? "ignored" : change.kind === "reread" ? "reread" : "applied" });
      if (!change) continue;
      this.busy?.add(netns);
      if (change.kind === "reread") this.rereadsDue.add(netns);
      else if (change.kind === "nsid" && netns === nsids.own) {
        // Our namespace gave or took back an nsid: a namespace came or went.
        nsids.forget(change.nsid);
        this.unmapped.delete(change.nsid);
        churned = true;
      } else if (change.kind === "nsid") this.pairAgainLater(); // another namespace's nsids: its veths may pair differently
      else events.push(...view.apply(netns, change));
    }
    if (this.rereadsDue.size > 0) this.rereads.ask();
    if (churned) this.churned();
    this.publish(events);
  }

  /** The subscription failed for good: the node is read without it, and following starts again in a second. */
  private lost(error: string): void {
    this.metrics.errors.inc({ where: "notifications" });
    this.log.error({ error }, "rtnetlink notifications stopped; following them again in 1 s");
    this.subscription?.close();
    this.subscription = undefined;
    // Until then the node is read as without notifications; the view is made anew when they are back.
    this.polled = this.view?.latest();
    this.view = undefined;
    this.overflowed = true;
    this.timers.retry = setTimeout(() => {
      this.follow();
      void this.reads.read("full").catch(() => undefined);
    }, 1000);
    this.timers.retry.unref();
  }

  /** Reads again each namespace whose links or addresses changed since the last time, then pairs veths again. */
  private rereadDue(): void {
    const events = [...this.rereadsDue].flatMap((netns) => this.rereadNamespace(netns));
    this.rereadsDue.clear();
    this.pairAgainLater();
    this.publish(events);
  }

  /** Reads one namespace again, now; gone meanwhile, it is dropped by the read that follows. */
  private rereadNamespace(netns: number): NetworkChange[] {
    const path = this.view?.enterPath(netns);
    if (!this.view || !path) return [];
    try {
      return this.view.reread(netns, readNamespaceNetlinkSync(path, netns));
    } catch (error) {
      this.log.debug({ err: error, netns }, "a namespace could not be read again; reading the namespaces");
      this.churned();
      return [];
    }
  }

  /** After links changed, asks again which namespace each nsid of theirs stands for (pairs veths as a full read does). */
  private pairAgainLater(): void {
    if (this.pairingQueued) return;
    this.pairingQueued = true;
    setImmediate(() => {
      this.pairingQueued = false;
      const view = this.view;
      if (!view) return;
      const { links, namespaces } = view.linksAndNamespaces();
      readNsidTable(namespaces, links, readNetnsIds, [])
        .then((table) => {
          view.setNsids(table);
          this.publish([]);
        })
        .catch((error: Error) => this.log.warn({ err: error }, "asking which namespace each nsid stands for failed; veths are paired by ifindex until the next read"));
    });
  }

  private publish(events: NetworkChange[]): void {
    for (const change of events) {
      this.events.append(change);
      this.metrics.events.inc({ kind: change.kind });
    }
    if (this.listeners.length > 0) this.toListeners.ask();
  }

  private tellListeners(): void {
    const latest = this.latest();
    if (latest) for (const listener of this.listeners) listener(latest);
  }
}
