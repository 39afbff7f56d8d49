import { TraceDestination, TraceOptions, TraceSource, type TraceDestinationInput, type TraceHop, type TraceOptionsInput, type TracePath, type TraceResult } from "../model/trace.js";
import type { NodeSnapshot } from "../model/snapshot.js";
import { arrive } from "./arrive.js";
import { Conntrack } from "./conntrack.js";
import { FleetIndex } from "./fleet-index.js";
import { canonicalIp } from "./node-index.js";
import { resolveSource } from "./resolve-source.js";
import { Walk, walkFrom } from "./walk.js";

/** The hops that say which interfaces of which namespace a path uses, each in its own namespace. */
const ANCHORS = new Set<TraceHop["action"]>(["route", "deliver", "vxlan-decap"]);

function interfacesUsed(path: TracePath): Set<string> {
  return new Set(path.hops.filter((h) => ANCHORS.has(h.action)).flatMap((h) => h.interfaces.map((i) => `${h.node}/${h.netns.id}/${i}`)));
}

function differ(a: Set<string>, b: Set<string>): boolean {
  return a.size !== b.size || [...a].some((x) => !b.has(x));
}

/**
 * Follows a packet from `source` to `destination` through the fleet's snapshots,
 * hop by hop as the kernels would (route lookup, veth, bridge, VXLAN, underlay,
 * masquerade), and the reply back to where it came from. Pass a `prepareFleet`
 * index when tracing many times over one fleet.
 */
export function trace(fleet: FleetIndex | readonly NodeSnapshot[], source: TraceSource, destination: TraceDestinationInput, options: TraceOptionsInput = {}): TraceResult {
  const index = fleet instanceof FleetIndex ? fleet : new FleetIndex(fleet);
  const dst = TraceDestination.parse(destination);
  const opts = TraceOptions.parse(options);
  const start = resolveSource(index, TraceSource.parse(source));
  const base = { destination: dst, packetSize: opts.packetSize };
  if (!start.ok) return { ...base, forward: { hops: [], verdict: { kind: start.kind, hop: null, message: start.message } }, asymmetric: false };
  const conntrack = new Conntrack();
  // The request is traced as `ping -M do` sends it: with DF.
  const packet = { src: start.ip ?? "", dst: canonicalIp(dst.ip), protocol: dst.protocol, port: dst.port, size: opts.packetSize, df: true };
  const walked = walkFrom(new Walk(index, opts, "forward", conntrack), { node: start.node, netns: start.netns, packet }, arrive);
  const forward = start.warning ? { ...walked, path: { ...walked.path, verdict: { ...walked.path.verdict, message: `${walked.path.verdict.message}; warning: ${start.warning}` } } } : walked;
  const sentFrom = forward.path.hops[0]?.packet.src ?? packet.src;
  const result: TraceResult = { ...base, source: { node: start.node.name, netns: start.netns, ip: sentFrom }, forward: forward.path, asymmetric: false };
  // A delivery that depended on undecidable filter rules still has its reply checked: it is delivered if they let it pass.
  const delivered = forward.path.verdict.kind === "delivered" || (forward.path.verdict.kind === "uncertain" && forward.path.hops.at(-1)?.action === "deliver");
  if (!delivered || !forward.last.iif) return result;
  // The reply leaves the destination's namespace for the address the request arrived from (after any NAT).
  const { last } = forward;
  // The kernel answers an echo request without DF (its ICMP socket never sets it), so a reply that meets a smaller MTU is fragmented, not dropped.
  // Its source port is the request's destination port; its destination port the client's ephemeral one.
  const reply = { src: last.packet.dst, dst: last.packet.src, protocol: dst.protocol, sport: dst.port, size: opts.packetSize, df: dst.protocol !== "icmp" };
  const reverse = walkFrom(new Walk(index, opts, "reverse", conntrack), { node: last.node, netns: last.netns, packet: reply }, arrive);
  return { ...result, reverse: reverse.path, asymmetric: differ(interfacesUsed(forward.path), interfacesUsed(reverse.path)) };
}
