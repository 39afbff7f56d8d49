/** The `ip -batch` lines of one step: for the process in the bench's own namespace (it adds and deletes namespaces) and for one in the node's. */
export interface NamespaceSteps {
  /** `netns add` / `netns delete`, run where /run/netns is. */
  host: string[];
  /** Each new namespace's veth into the node's bridge: for a process that is replaced now and then (see NamespaceChurn). */
  attach: string[];
}

interface PoolEntry {
  netns: string;
  veth: string;
  since: number;
}

/**
 * Namespaces that come and go as pods do: each is added, joined to the node's bridge by
 * a veth once its file is mounted (`ready`; the adding process runs apart from the one
 * that makes the veth), and deleted after `lifetimeMs`. Half the changes are additions,
 * half deletions, `perSecond` in all; at most `maxPool` namespaces are under way at once
 * (an addition that would pass it waits, and the achieved rate says so).
 *
 * A veth is not deleted on its own: the kernel takes ~25 ms under the rtnl lock for each
 * `ip link del` (it waits for an RCU grace period), which at 50 a second would stall every
 * other change; a namespace's teardown deletes its devices in one batch. `ip link add …
 * netns NAME` keeps the namespace's file open in that ip process until it exits, so the
 * process that makes veths must be replaced after a few (`attaches` counts them): until
 * then a deleted namespace, and its veth, live on.
 */
export class NamespaceChurn {
  private added = 0;
  private deleted = 0;
  private attached = 0;
  private readonly pending: PoolEntry[] = [];
  private readonly alive: PoolEntry[] = [];

  constructor(
    private readonly prefix: string,
    private readonly options: { perSecond: number; lifetimeMs: number; maxPool: number; bridge: string },
  ) {
    if (!/^[A-Za-z0-9-]{1,20}$/.test(prefix)) throw new Error(`namespace prefix must be 1 to 20 letters, digits or "-", not "${prefix}"`);
  }

  /** Namespace changes made so far (additions and deletions). */
  get changes(): number {
    return this.added + this.deleted;
  }

  /** Veths made so far. */
  get attaches(): number {
    return this.attached;
  }

  /** Every namespace this churn added and has not deleted, by name. */
  remaining(): string[] {
    return [...this.pending, ...this.alive].map((e) => e.netns);
  }

  /** What is due `elapsedMs` after the churn began; `ready` says whether a namespace's file is mounted yet. */
  step(elapsedMs: number, ready: (netns: string) => boolean): NamespaceSteps {
    const steps: NamespaceSteps = { host: [], attach: [] };
    while (this.pending[0] && ready(this.pending[0].netns)) {
      const e = this.pending.shift() as PoolEntry;
      steps.attach.push(`link add ${e.veth} up master ${this.options.bridge} type veth peer name eth0 netns ${e.netns}`);
      this.attached++;
      this.alive.push({ ...e, since: elapsedMs });
    }
    while (this.alive[0] && elapsedMs - this.alive[0].since >= this.options.lifetimeMs) {
      steps.host.push(`netns delete ${(this.alive.shift() as PoolEntry).netns}`);
      this.deleted++;
    }
    const due = Math.floor((elapsedMs * this.options.perSecond) / 2 / 1000);
    while (this.added < due && this.pending.length + this.alive.length < this.options.maxPool) {
      const n = this.added++;
      const e = { netns: `${this.prefix}-c${n}`, veth: `vc${n}`, since: elapsedMs };
      steps.host.push(`netns add ${e.netns}`);
      this.pending.push(e);
    }
    return steps;
  }
}
