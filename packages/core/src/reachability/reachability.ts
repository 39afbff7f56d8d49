import { FabricContext } from "../fabric/delivery/fabric-context.js";
import { ReachabilityOptions, type ReachabilityCell, type ReachabilityMatrix, type ReachabilityOptionsInput } from "../model/reachability.js";
import type { NodeSnapshot } from "../model/snapshot.js";
import { FleetIndex } from "../trace/fleet-index.js";
import { trace } from "../trace/trace.js";
import { cellFromTrace, composedCell, noEndpointCell } from "./cell.js";
import { endpointOf } from "./endpoints.js";
import { FilterNeutrality } from "./filter-neutral.js";
import { RoundTrips, type RoundTripParts } from "./round-trip-parts.js";

/** The round-trip parts real traces have shown to deliver, per node. */
class ShownParts {
  private readonly shown = new Map<string, Set<number>>();

  private has(node: string, part: number): boolean {
    return this.shown.get(node)?.has(part) ?? false;
  }

  all(a: string, b: string, p: RoundTripParts): boolean {
    return this.has(a, p.send) && this.has(b, p.receive) && this.has(b, p.replySend) && this.has(a, p.replyReceive);
  }

  add(a: string, b: string, p: RoundTripParts): void {
    for (const [node, part] of [[a, p.send], [b, p.receive], [b, p.replySend], [a, p.replyReceive]] as const) {
      const set = this.shown.get(node) ?? new Set<number>();
      set.add(part);
      this.shown.set(node, set);
    }
  }
}

/** The fleet's address classes a neutral filter rule must treat alike: every node's subnets, every node's underlay addresses, every node's tunnel addresses. */
function addressClasses(ctx: FabricContext): string[][] {
  const own = (ip: string) => `${ip}/${ip.includes(":") ? 128 : 32}`;
  return [
    ctx.owned.all.map((s) => s.cidr),
    ctx.fabric.nodes.flatMap((n) => n.underlay.map((u) => own(u.ip))),
    ctx.fabric.nodes.flatMap((n) => n.tunnels.flatMap((t) => t.addresses.map((a) => own(a.split("/")[0]!)))),
  ];
}

/**
 * Whether each node's pods reach each other node's, and the replies come back:
 * one cell per ordered pair of nodes, from a representative of the first node's
 * pods (a running pod, else a Docker container) to one of the second's, with the
 * trace's verdict and, when it fails, its deciding hop. Without a FleetSpec: the
 * fabric is inferred from the snapshots.
 *
 * One representative per node is sound for the fabric: every pod of a node's
 * subnet is reached through the same routes, VTEP, neighbour and FDB entries up
 * to that node's bridge, so what holds for one holds for all. It is not for
 * faults of one pod (its veth down, its own routes): a cell shows the
 * representative's path only, and the node findings show the rest.
 *
 * The matrix is memoised by (node, destination subnet): what a node does with a
 * packet for a subnet (its route, VTEP, neighbour and FDB entries, the node the
 * packet reaches) is decided once, as the fabric findings decide it, and serves
 * every pair that sends there, forward and reply. A pair's round trip is cut
 * where it crosses between the nodes into four parts (send, receive, reply
 * send, reply receive), each named by its own end's decisions and devices
 * (RoundTrips); a pair is traced for real unless each of its parts was already
 * part of a real trace that delivered, and then it is composed from them. Any
 * part not clean by the fabric checks, a NAT that drops or is not a masquerade,
 * or a node whose filter rules tell the fleet's addresses apart (FilterNeutrality)
 * sends the pair to a trace of its own. So 200 healthy nodes take about two
 * traces per node, and every failing or unusual cell is the trace's own verdict.
 */
export function reachability(fleet: FleetIndex | readonly NodeSnapshot[], options: ReachabilityOptionsInput = {}): ReachabilityMatrix {
  const opts = ReachabilityOptions.parse(options);
  const index = fleet instanceof FleetIndex ? fleet : new FleetIndex(fleet);
  const ctx = new FabricContext(index, opts.spec);
  const nodes = [...index.nodes.keys()];
  const endpoints = new Map(nodes.map((n) => [n, endpointOf(index.nodes.get(n)!.snapshot)]));
  const neutrality = new FilterNeutrality(addressClasses(ctx));
  const neutral = new Map(nodes.map((n) => [n, neutrality.of(index.nodes.get(n)!.snapshot.filter)]));
  const trips = new RoundTrips(ctx, { protocol: opts.protocol, ...(opts.port === undefined ? {} : { port: opts.port }) });
  const shown = new ShownParts();
  const destination = { protocol: opts.protocol, ...(opts.port === undefined ? {} : { port: opts.port }) };
  const traceOptions = opts.packetSize === undefined ? {} : { packetSize: opts.packetSize };

  const cellOf = (a: string, b: string): ReachabilityCell => {
    const [ea, eb] = [endpoints.get(a), endpoints.get(b)];
    if (!ea || !eb) return noEndpointCell(a, b, ea ? "destination" : "source", ea, eb);
    const [na, nb] = [ctx.nodes.get(a), ctx.nodes.get(b)];
    const parts = na && nb && neutral.get(a) && neutral.get(b) ? trips.of(na, ea, nb, eb) : undefined;
    if (parts && shown.all(a, b, parts)) return composedCell(ea, eb);
    const cell = cellFromTrace(ea, eb, trace(index, { netns: { node: a, id: ea.netns } }, { ip: eb.ip, ...destination }, traceOptions));
    if (parts && cell.state === "delivered") shown.add(a, b, parts);
    return cell;
  };

  const cells = nodes.flatMap((a) => nodes.filter((b) => b !== a).map((b) => cellOf(a, b)));
  const count = (state: ReachabilityCell["state"]) => cells.filter((c) => c.state === state).length;
  return {
    nodes,
    cells,
    summary: { pairs: cells.length, delivered: count("delivered"), failed: count("failed"), uncertain: count("uncertain"), noEndpoint: count("no-endpoint"), traced: cells.filter((c) => c.by === "trace").length, composed: cells.filter((c) => c.by === "composed").length },
  };
}
