import type { Link } from "../model/link.js";
import type { TraceAction, TraceHop, TraceOptions, TracePath, TraceProtocol, TraceRouteChoice, TraceVerdictKind } from "../model/trace.js";
import type { FleetIndex } from "./fleet-index.js";
import type { NodeIndex } from "./node-index.js";
import type { RouteMatch } from "./route-table.js";

/** The packet as the kernel holds it at one point; an encapsulated one carries the original inside. */
export interface Packet {
  src: string;
  dst: string;
  protocol: TraceProtocol | "udp";
  port?: number;
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

/** Source NAT bindings the forward packet made, which the reply undoes: "node/netns/translated" -> original source. */
export type Conntrack = Map<string, string>;
export const conntrackKey = (node: string, netns: number, ip: string) => `${node}/${netns}/${ip}`;

export function isUp(link: Link): boolean {
  return link.flags.includes("UP") && link.flags.includes("LOWER_UP");
}

export function downReason(link: Link): string {
  return link.flags.includes("UP") ? `has no carrier (state ${link.state}, flags ${link.flags.join(",")})` : `is down (flags ${link.flags.join(",")})`;
}

/** One walk of one packet through the fleet: the hops so far, the verdict once there is one. */
export class Walk {
  readonly hops: TraceHop[] = [];
  private verdict: TracePath["verdict"] | undefined;
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

  hop(at: { node: NodeIndex; netns: number }, action: TraceAction, interfaces: Array<string | undefined>, rule: string, detail: string, packet: Packet, route?: TraceRouteChoice): void {
    this.hops.push({
      node: at.node.name,
      netns: { id: at.netns, label: at.node.netnsLabel(at.netns) },
      interfaces: interfaces.filter((i): i is string => i !== undefined),
      action,
      rule,
      detail,
      packet: { src: packet.src, dst: packet.dst },
      ...(route ? { route } : {}),
    });
  }

  /** Ends the walk; the deciding hop is the last one unless said otherwise. Returns undefined, the walk's next position. */
  end(kind: TraceVerdictKind, message: string, hop: number | null = this.hops.length ? this.hops.length - 1 : null): undefined {
    const note = this.shadowed.size ? `; note: ${[...this.shadowed].join("; ")}` : "";
    this.verdict = { kind, hop, message: message + note };
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
