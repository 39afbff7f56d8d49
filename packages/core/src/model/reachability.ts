import { z } from "zod";
import { FleetSpec } from "../fabric/fleet-spec.js";
import { NetnsId } from "./names.js";
import { TraceHop, TraceProtocol, TraceVerdictKind } from "./trace.js";
import { lazySchema } from "./lazy-schema.js";

/** delivered both ways; failed (any other verdict); uncertain (the trace could not decide a rule on the way); no-endpoint (a node with no running pod or container to stand for it). */
export const ReachabilityState = lazySchema(() => z.enum(["delivered", "failed", "uncertain", "no-endpoint"]));
export type ReachabilityState = z.infer<typeof ReachabilityState>;

/** The pod (or, on a Docker host, the container) that stands for a node in the matrix. */
export const ReachabilityEndpoint = lazySchema(() => z.object({ node: z.string(), kind: z.enum(["pod", "container"]), name: z.string(), netns: NetnsId, ip: z.string() }));
export type ReachabilityEndpoint = z.infer<typeof ReachabilityEndpoint>;

export const ReachabilityCell = lazySchema(() =>
  z.object({
    from: z.string(),
    to: z.string(),
    state: ReachabilityState,
    /** The trace's verdict: "delivered", or the failing one (of the reply when the request got through). */
    verdict: TraceVerdictKind,
    /** Which way decided a failing cell. */
    leg: z.enum(["forward", "reply"]).optional(),
    /** The hop that decided a failing cell. */
    hop: TraceHop.optional(),
    message: z.string(),
    source: ReachabilityEndpoint.optional(),
    destination: ReachabilityEndpoint.optional(),
    /** "trace": a trace of this pair; "composed": both ends' parts were shown by traces of other pairs (see reachability). Absent without endpoints. */
    by: z.enum(["trace", "composed"]).optional(),
  }),
);
export type ReachabilityCell = z.infer<typeof ReachabilityCell>;

export const ReachabilityMatrix = lazySchema(() =>
  z.object({
    nodes: z.array(z.string()),
    /** One per ordered pair of different nodes, row by row in the order of `nodes`. */
    cells: z.array(ReachabilityCell),
    summary: z.object({
      pairs: z.number().int(),
      delivered: z.number().int(),
      /** Pairs that cannot reach each other: the number to look at. */
      failed: z.number().int(),
      uncertain: z.number().int(),
      noEndpoint: z.number().int(),
      /** Cells decided by a trace of their own, and cells composed from the memo. */
      traced: z.number().int(),
      composed: z.number().int(),
    }),
  }),
);
export type ReachabilityMatrix = z.infer<typeof ReachabilityMatrix>;

export const ReachabilityOptions = lazySchema(() =>
  z.object({
    /** The packets traced between the endpoints: TCP without a port unless said (a filter rule on a port then leaves the cell uncertain). */
    protocol: TraceProtocol.default("tcp"),
    port: z.number().int().min(1).max(65_535).optional(),
    packetSize: z.number().int().min(28).max(65_535).optional(),
    /** The fleet spec, when there is one: its allocation gives the pod subnets. */
    spec: FleetSpec.optional(),
  }),
);
export type ReachabilityOptions = z.infer<typeof ReachabilityOptions>;
export type ReachabilityOptionsInput = z.input<typeof ReachabilityOptions>;
