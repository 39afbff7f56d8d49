import { NodeSnapshot } from "@netatlas/core";
import { z } from "zod";

export const Scope = z.enum(["read", "admin"]);
export type Scope = z.infer<typeof Scope>;

/** observe: report drift only; repair: re-apply the kept intent when the node drifts. */
export const ReconcileMode = z.enum(["observe", "repair"]);
export type ReconcileMode = z.infer<typeof ReconcileMode>;

export const AgentInfo = z.object({
  version: z.string(),
  node: z.string(),
  /** What this agent can do: "snapshot", "events", "docker", "pods", "plan", "apply", "probe". */
  capabilities: z.array(z.string()),
  /** observe: report only; repair: re-apply the last intent when the node drifts. */
  mode: ReconcileMode,
  reader: z.enum(["netlink", "iproute2"]),
  startedAt: z.string(),
});
export type AgentInfo = z.infer<typeof AgentInfo>;

export const Health = z.object({ status: z.literal("ok"), node: z.string(), uptimeSeconds: z.number() });
export type Health = z.infer<typeof Health>;

export const SnapshotInput = z
  .object({
    /** One namespace: its inode, or one of its names. */
    netns: z.union([z.number().int().nonnegative(), z.string().min(1).max(255)]).optional(),
    /** Accept a cached snapshot at most this old (the agent has its own bound too). */
    maxAgeMs: z.number().int().min(0).max(3_600_000).optional(),
  })
  .strict()
  .optional();
export type SnapshotInput = z.infer<typeof SnapshotInput>;

export const SnapshotIfChangedInput = z
  .object({
    /** The hash of the snapshot the caller holds (sha256 hex, from an earlier answer). */
    knownHash: z.string().regex(/^[0-9a-f]{64}$/, "knownHash is a snapshot's sha256 in hex").optional(),
    /** Accept a cached snapshot at most this old (the agent has its own bound too). */
    maxAgeMs: z.number().int().min(0).max(3_600_000).optional(),
  })
  .strict();
export type SnapshotIfChangedInput = z.infer<typeof SnapshotIfChangedInput>;

/** The answer to "has anything changed since `knownHash`?": the snapshot only when it has. */
export const SnapshotIfChangedAnswer = z.object({
  hash: z.string().regex(/^[0-9a-f]{64}$/, "hash is a snapshot's sha256 in hex"),
  collectedAt: z.iso.datetime({ offset: true }),
  snapshot: NodeSnapshot.nullable(),
});
export type SnapshotIfChangedAnswer = z.infer<typeof SnapshotIfChangedAnswer>;

export const EventsInput = z
  .object({
    /** Resume after this event's seq (tRPC's SSE sends it back as lastEventId on reconnect). */
    lastEventId: z.string().regex(/^\d+$/, "lastEventId is an event's seq number").nullish(),
  })
  .strict()
  .optional();
