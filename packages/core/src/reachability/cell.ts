import type { ReachabilityCell, ReachabilityEndpoint, ReachabilityState } from "../model/reachability.js";
import type { TracePath, TraceResult } from "../model/trace.js";

const stateOf = (path: TracePath): ReachabilityState => (path.verdict.kind === "delivered" ? "delivered" : path.verdict.kind === "uncertain" ? "uncertain" : "failed");

function decidedBy(path: TracePath, leg: "forward" | "reply"): Pick<ReachabilityCell, "verdict" | "leg" | "hop" | "state"> {
  const hop = path.verdict.hop === null ? undefined : path.hops[path.verdict.hop];
  return { state: stateOf(path), verdict: path.verdict.kind, leg, ...(hop ? { hop } : {}) };
}

/**
 * A cell from the trace of its pair: delivered when the request reached the
 * destination's own namespace on the destination node and the reply came back;
 * else the first verdict that is not "delivered", with its deciding hop.
 */
export function cellFromTrace(source: ReachabilityEndpoint, destination: ReachabilityEndpoint, result: TraceResult): ReachabilityCell {
  const base = { from: source.node, to: destination.node, source, destination, by: "trace" as const };
  const { forward, reverse } = result;
  if (forward.verdict.kind !== "delivered") return { ...base, ...decidedBy(forward, "forward"), message: forward.verdict.message };
  const last = forward.hops.at(-1);
  if (last && (last.node !== destination.node || last.netns.id !== destination.netns)) {
    return { ...base, state: "failed", verdict: "delivered", leg: "forward", hop: last, message: `${destination.ip} is delivered to ${last.netns.label} on ${last.node}, not to ${destination.name} on ${destination.node}: the address is not that endpoint's where the packet lands` };
  }
  if (reverse && reverse.verdict.kind !== "delivered") return { ...base, ...decidedBy(reverse, "reply"), message: `the reply is lost: ${reverse.verdict.message}` };
  return { ...base, state: "delivered", verdict: "delivered", message: `${source.name} on ${source.node} reaches ${destination.name} on ${destination.node} (${destination.ip}), and the reply comes back` };
}

/** A cell whose round trip is made of parts traces of other pairs showed to deliver. */
export function composedCell(source: ReachabilityEndpoint, destination: ReachabilityEndpoint): ReachabilityCell {
  return {
    from: source.node,
    to: destination.node,
    source,
    destination,
    by: "composed",
    state: "delivered",
    verdict: "delivered",
    message: `${source.name} on ${source.node} reaches ${destination.name} on ${destination.node} (${destination.ip}), and the reply comes back: each end decides as in pairs traced before`,
  };
}

/** A node with nothing running to stand for it. */
export function noEndpointCell(from: string, to: string, missing: "source" | "destination", source?: ReachabilityEndpoint, destination?: ReachabilityEndpoint): ReachabilityCell {
  const node = missing === "source" ? from : to;
  return {
    from,
    to,
    state: "no-endpoint",
    verdict: missing === "source" ? "unknown-source" : "unknown-destination",
    message: `${node} has no running pod or container with an address to stand for it`,
    ...(source ? { source } : {}),
    ...(destination ? { destination } : {}),
  };
}
