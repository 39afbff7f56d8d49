import { z } from "zod";
import { lazySchema } from "./lazy-schema.js";

/** "resync": the agent lost track of the kernel (its notifications overflowed) and read the whole node again. */
export const EventKind = lazySchema(() => z.enum(["netns", "link", "address", "route", "neighbor", "fdb", "pod", "container", "drift", "repair", "resync"]));
export type EventKind = z.infer<typeof EventKind>;

/** What changed, without where it sits in a stream. */
export const NetworkChange = lazySchema(() =>
  z.object({
    kind: EventKind,
    action: z.enum(["added", "removed", "changed"]),
    netns: z.number().int().optional(),
    /** The object in words: "cni0 10.244.1.1/24", "10.244.2.0/24 via 10.244.2.0 dev flannel.1". */
    subject: z.string(),
    /** For "changed": what differs, e.g. "state DOWN -> UP". */
    detail: z.string().optional(),
  }),
);
export type NetworkChange = z.infer<typeof NetworkChange>;

/** A change on one node, numbered so that a client can resume after a reconnect. */
export const AgentEvent = lazySchema(() =>
  NetworkChange.extend({
    seq: z.number().int().positive(),
    at: z.string(),
    node: z.string(),
  }),
);
export type AgentEvent = z.infer<typeof AgentEvent>;
