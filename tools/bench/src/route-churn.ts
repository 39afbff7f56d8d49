/** Where routes come and go: one namespace, the device its routes use, and the /16 they are taken from. */
export interface RouteSpace {
  netns: string;
  dev: string;
  /** The first two octets of the routes' /32 destinations, e.g. "10.200". */
  net: string;
  /** How many routes it holds at most: its slots, each added, then deleted the round after. */
  slots: number;
}

/** One `ip -batch` line for the process in a namespace. */
export interface BatchLine {
  netns: string;
  line: string;
}

/**
 * Route changes spread over a node: every `hostEvery`-th one in the host namespace,
 * the others over the pod namespaces in turn. In each namespace a change takes its
 * next slot: a route added where the slot is empty, deleted where it holds one, so
 * each namespace holds at most `slots` extra routes and no change can fail.
 */
export class RouteChurn {
  private made = 0;
  private nextPod = 0;
  private readonly cursors = new Map<RouteSpace, number>();
  private readonly present = new Map<RouteSpace, Set<number>>();

  constructor(
    private readonly host: RouteSpace,
    private readonly pods: readonly RouteSpace[],
    private readonly hostEvery = 10,
  ) {
    for (const space of [host, ...pods]) {
      if (space.slots < 1 || space.slots > 65_536) throw new Error(`route slots of ${space.netns} must be from 1 to 65536, not ${space.slots}`);
      this.cursors.set(space, 0);
      this.present.set(space, new Set());
    }
  }

  /** Route changes made so far. */
  get count(): number {
    return this.made;
  }

  /** The next `count` changes. */
  take(count: number): BatchLine[] {
    const lines: BatchLine[] = [];
    for (let i = 0; i < count; i++, this.made++) {
      const space = this.made % this.hostEvery === 0 || this.pods.length === 0 ? this.host : (this.pods[this.nextPod++ % this.pods.length] as RouteSpace);
      const cursor = this.cursors.get(space) as number;
      this.cursors.set(space, cursor + 1);
      const slot = cursor % space.slots;
      const held = this.present.get(space) as Set<number>;
      const dst = `${space.net}.${Math.floor(slot / 256)}.${slot % 256}/32`;
      if (held.delete(slot)) lines.push({ netns: space.netns, line: `route del ${dst} dev ${space.dev}` });
      else {
        held.add(slot);
        lines.push({ netns: space.netns, line: `route add ${dst} dev ${space.dev}` });
      }
    }
    return lines;
  }
}
