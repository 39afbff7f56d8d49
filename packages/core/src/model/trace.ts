import { z } from "zod";
import { isIp } from "../net/cidr.js";
import { NetnsId } from "./names.js";
import { lazySchema } from "./lazy-schema.js";

const Ip = lazySchema(() => z.string().refine(isIp, "must be an IP address such as 10.244.1.3"));

/** Where a traced packet starts: a pod ("name" or "namespace/name"), a Docker container, a namespace of a node, or whoever owns an address. */
export const TraceSource = lazySchema(() =>
  z.union([
    z.object({ pod: z.string().min(1) }),
    z.object({ container: z.string().min(1) }),
    z.object({ netns: z.object({ node: z.string(), id: NetnsId.optional(), name: z.string().optional() }).refine((n) => n.id !== undefined || n.name !== undefined, "give the namespace's id (inode) or name") }),
    z.object({ ip: Ip }),
  ]),
);
export type TraceSource = z.infer<typeof TraceSource>;

export const TraceProtocol = lazySchema(() => z.enum(["tcp", "udp", "icmp"]));
export type TraceProtocol = z.infer<typeof TraceProtocol>;

export const TraceDestination = lazySchema(() =>
  z.object({
    ip: Ip,
    port: z.number().int().min(1).max(65_535).optional(),
    protocol: TraceProtocol.default("tcp"),
  }),
);
export type TraceDestination = z.infer<typeof TraceDestination>;
export type TraceDestinationInput = z.input<typeof TraceDestination>;

/**
 * 1400 bytes by default: it fits the 1450-byte pod MTU of a healthy VXLAN fabric
 * (1500 minus 50 bytes of encapsulation), so healthy paths pass, yet its 1450-byte
 * outer packet is refused where it arrives at an underlay device that shrank below
 * 1446 (a veth admits MTU + 4), which is the MTU fault people actually have.
 * 1500 would fail every VXLAN pod path.
 */
export const DEFAULT_TRACE_PACKET_SIZE = 1400;

export const TraceOptions = lazySchema(() =>
  z.object({
    /** The IP packet's size in bytes (headers included), as with `ping -s SIZE-28 -M do`. */
    packetSize: z.number().int().min(28).max(65_535).default(DEFAULT_TRACE_PACKET_SIZE),
    /** Hops before the trace calls it a loop, like a TTL. */
    maxHops: z.number().int().min(1).max(1_000).default(64),
  }),
);
export type TraceOptions = z.infer<typeof TraceOptions>;
export type TraceOptionsInput = z.input<typeof TraceOptions>;

export const TraceAction = lazySchema(() => z.enum(["route", "veth", "bridge", "vxlan-encap", "underlay", "vxlan-decap", "masquerade", "unmasquerade", "filter", "rp-filter", "deliver"]));
export type TraceAction = z.infer<typeof TraceAction>;

/** The route a hop chose, in fields, so a test can hold it against `ip -j route get`. */
export const TraceRouteChoice = lazySchema(() => z.object({ table: z.string(), type: z.string(), dst: z.string(), dev: z.string().optional(), via: z.string().optional() }));
export type TraceRouteChoice = z.infer<typeof TraceRouteChoice>;

/** A filter rule (or a chain's policy) the trace met, placed so that a page can light it. */
export const TraceFilterRule = lazySchema(() =>
  z.object({
    node: z.string(),
    netns: NetnsId,
    family: z.string(),
    table: z.string(),
    chain: z.string(),
    /** The hook the packet was at: prerouting, input, forward, output, postrouting, ingress. */
    hook: z.string(),
    /** Absent when the chain's policy decided. */
    handle: z.number().int().optional(),
    /** The rule as nft prints it, or "policy drop". */
    text: z.string(),
    /** Why netatlas could not decide the rule (an opaque one). */
    reason: z.string().optional(),
  }),
);
export type TraceFilterRule = z.infer<typeof TraceFilterRule>;

/** A failed reverse-path check (rp_filter). */
export const TraceRpFilter = lazySchema(() =>
  z.object({
    node: z.string(),
    netns: NetnsId,
    /** The interface the packet arrived on. */
    interface: z.string(),
    mode: z.enum(["strict", "loose"]),
    /** The route back to the source the check found (leaving by another interface), if any. */
    route: z.string().optional(),
  }),
);
export type TraceRpFilter = z.infer<typeof TraceRpFilter>;

export const TraceHop = lazySchema(() =>
  z.object({
    node: z.string(),
    netns: z.object({ id: NetnsId, label: z.string() }),
    /** The interfaces the hop involves, in the order the packet meets them. */
    interfaces: z.array(z.string()),
    action: TraceAction,
    /** The kernel state that decided the hop, as iproute2/bridge/nft print it. */
    rule: z.string(),
    detail: z.string(),
    /** The packet as it left this hop. */
    packet: z.object({ src: z.string(), dst: z.string() }),
    route: TraceRouteChoice.optional(),
    /** For a "filter" hop: the rule that stopped the packet, or (uncertain) the rules it depends on. */
    filter: z.array(TraceFilterRule).optional(),
  }),
);
export type TraceHop = z.infer<typeof TraceHop>;

export const TraceVerdictKind = lazySchema(() =>
  z.enum([
    "delivered",
    "no-route",
    "blackhole",
    "loop",
    "neighbor-missing",
    "fdb-missing",
    "interface-down",
    "mtu-too-small",
    "forwarding-off",
    "left-fleet",
    "source-dead",
    "unknown-source",
    "unknown-destination",
    /** A filter rule (or a chain's policy) drops or rejects the packet. */
    "filtered",
    /** The reverse-path check refuses the packet: the route back to its source leaves elsewhere (or there is none). */
    "rp-filtered",
    /** Delivered only if rules netatlas cannot decide (a rate limit, a mark set elsewhere, an opaque rule) let it pass. */
    "uncertain",
  ]),
);
export type TraceVerdictKind = z.infer<typeof TraceVerdictKind>;

export const TraceVerdict = lazySchema(() =>
  z.object({
    kind: TraceVerdictKind,
    /** Index of the hop that decided it; null when it was decided before the first hop (source unknown or dead). */
    hop: z.number().int().nonnegative().nullable(),
    message: z.string(),
    /** "filtered": the rule or policy that stopped it; "uncertain": what stops it on the way the trace could not rule out. */
    rule: TraceFilterRule.optional(),
    /** "uncertain": the rules whose outcome netatlas cannot decide. */
    dependsOn: z.array(TraceFilterRule).optional(),
    /** "rp-filtered": where the check failed. */
    rpFilter: TraceRpFilter.optional(),
  }),
);
export type TraceVerdict = z.infer<typeof TraceVerdict>;

export const TracePath = lazySchema(() => z.object({ hops: z.array(TraceHop), verdict: TraceVerdict }));
export type TracePath = z.infer<typeof TracePath>;

export const TraceResult = lazySchema(() =>
  z.object({
    /** Where the packet started and the address it left with (after source selection, before NAT). */
    source: z.object({ node: z.string(), netns: NetnsId, ip: z.string() }).optional(),
    destination: TraceDestination,
    packetSize: z.number().int(),
    forward: TracePath,
    /** The reply, from the destination back to the (translated) source; only when the forward packet was delivered (or uncertain on its way). */
    reverse: TracePath.optional(),
    /** The forward and reverse paths cross different node interfaces. */
    asymmetric: z.boolean(),
  }),
);
export type TraceResult = z.infer<typeof TraceResult>;
