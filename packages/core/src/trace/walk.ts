import type { Link } from "../model/link.js";
import type { TracedPort } from "../filter/packet.js";
import type { TraceAction, TraceFilterRule, TraceHop, TraceOptions, TracePath, TraceProtocol, TraceRouteChoice, TraceVerdict, TraceVerdictKind } from "../model/trace.js";
import type { Conntrack } from "./conntrack.js";
import type { FleetIndex } from "./fleet-index.js";
import type { NodeIndex } from "./node-index.js";
import type { RouteMatch } from "./route-table.js";

/** The packet as the kernel holds it at one point; an encapsulated one carries the original inside. */
export interface Packet {
  src: string;
  dst: string;
  protocol: TraceProtocol | "udp";
  /** The destination port; absent when the trace was not given one (or, for a reply, the client's ephemeral port). */
  port?: number;
  /** The source port when the trace knows it (a reply's: the request's port, a VXLAN packet's: ephemeral). */
  sport?: TracedPort;
  /** IP packet size in bytes. */
  size: number;
  /** Don't Fragment: a packet larger than a device's MTU is dropped rather than fragmented. */
  df: boolean;
  /** Set once the packet was fragmented: the size of its largest fragment on the wire. */
  fragment?: number;
  inner?: Packet;
  /** VXLAN: the VNI and the inner frame's destination MAC. */
  vni?: number;
  innerMac?: string;
}

/** Where the packet is: in a namespace of a node, arrived through `iif` (none when the namespace sent it). */
export interface Position {
  node: NodeIndex;
  netns: number;
  iif?: Link;
  packet: Packet;
}

export function isUp(link: Link): boolean {
  return link.flags.includes("UP") && link.flags.includes("LOWER_UP");
}

export function downReason(link: Link): string {
  return link.flags.includes("UP") ? `has no carrier (state ${link.state}, flags ${link.flags.join(",")})` : `is down (flags ${link.flags.join(",")})`;
}

/** A filter fork the trace could not decide, on its way: where, what it depends on, what stops the packet the other way. */
export interface UncertainPassage {
  hop: number;
  dependsOn: TraceFilterRule[];
  stop: TraceFilterRule;
  /** In words, for the verdict's message. */
  summary: string;
}

/** One walk of one packet through the fleet: the hops so far, the verdict once there is one. */
export class Walk {
  readonly hops: TraceHop[] = [];
  private verdict: TracePath["verdict"] | undefined;
  /** Filter forks passed on the assumption that the packet goes on. */
  readonly uncertain: UncertainPassage[] = [];
  /** skb->mark as the filter rules left it, in the namespace where they did (crossing into another namespace clears it). */
  private mark: { where: string; value: number | undefined } = { where: "", value: 0 };
  private readonly visited = new Map<string, number>();
  /** Connected routes a more specific route shadowed on the way (docker0's /16 over the pod subnets), said in the verdict. */
  readonly shadowed = new Set<string>();
  /** The last route decision, for messages that explain where the packet was sent. */
  lastRoute: { node: NodeIndex; netns: number; match: RouteMatch } | undefined;

  constructor(
    readonly fleet: FleetIndex,
    readonly options: TraceOptions,
    readonly direction: "forward" | "reverse",
    readonly conntrack: Conntrack,
  ) {}

  hop(at: { node: NodeIndex; netns: number }, action: TraceAction, interfaces: Array<string | undefined>, rule: string, detail: string, packet: Packet, route?: TraceRouteChoice, filter?: TraceFilterRule[]): void {
    this.hops.push({
      node: at.node.name,
      netns: { id: at.netns, label: at.node.netnsLabel(at.netns) },
      interfaces: interfaces.filter((i): i is string => i !== undefined),
      action,
      rule,
      detail,
      packet: { src: packet.src, dst: packet.dst },
      ...(route ? { route } : {}),
      ...(filter ? { filter } : {}),
    });
  }

  /** The packet's mark in this namespace: 0 on arrival from elsewhere, else what the rules that ran here set. */
  markIn(node: string, netns: number): number | undefined {
    return this.mark.where === `${node}/${netns}` ? this.mark.value : 0;
  }

  setMark(node: string, netns: number, value: number | undefined): void {
    this.mark = { where: `${node}/${netns}`, value };
  }

  /**
   * Ends the walk; the deciding hop is the last one unless said otherwise. Returns undefined,
   * the walk's next position. A delivery that passed undecidable filter rules is "uncertain";
   * any other end keeps its kind (it happens whichever way those rules went) with a note.
   */
  end(kind: TraceVerdictKind, message: string, hop: number | null = this.hops.length ? this.hops.length - 1 : null, fields: Pick<TraceVerdict, "rule" | "rpFilter"> = {}): undefined {
    const note = this.shadowed.size ? `; note: ${[...this.shadowed].join("; ")}` : "";
    const [first] = this.uncertain;
    if (first && kind === "delivered") {
      const dependsOn = this.uncertain.flatMap((u) => u.dependsOn);
      this.verdict = { kind: "uncertain", hop: first.hop, message: `${message}, but only if ${this.uncertain.map((u) => u.summary).join("; and if ")}${note}`, rule: first.stop, dependsOn };
      return undefined;
    }
    const passed = first ? `; before that it passed only if ${this.uncertain.map((u) => u.summary).join("; and if ")}` : "";
    this.verdict = { kind, hop, message: message + passed + note, ...fields };
    return undefined;
  }

  /** The hop index at which the packet was already here with the same destination, if it was. */
  revisit(at: Position): number | undefined {
    const key = `${at.node.name}/${at.netns}/${at.packet.dst}/${at.packet.inner ? "outer" : "inner"}`;
    const before = this.visited.get(key);
    if (before === undefined) this.visited.set(key, this.hops.length);
    return before;
  }

  path(): TracePath {
    return { hops: this.hops, verdict: this.verdict ?? { kind: "loop", hop: null, message: "the trace stopped without a verdict" } };
  }
}

/** Follows the packet from `start` until something decides its fate. */
export function walkFrom(walk: Walk, start: Position, step: (walk: Walk, at: Position) => Position | undefined): { path: TracePath; last: Position } {
  let at: Position | undefined = start;
  let last = start;
  while (at) {
    last = at;
    if (walk.hops.length >= walk.options.maxHops) {
      walk.end("loop", `the packet was still travelling after ${walk.options.maxHops} hops (at ${at.node.name}, ${at.node.netnsLabel(at.netns)}): a routing loop`);
      break;
    }
    at = step(walk, at);
  }
  return { path: walk.path(), last };
}
