import { NodeSnapshot, SnapshotDelta } from "@netatlas/core";
import { z } from "zod";

/** A snapshot stream's position: the agent run (epoch) and the version of the node's state in it. */
const Epoch = z.string().regex(/^[0-9a-f]{16}$/, "epoch is the 16 hex digits an agent's stream sent");
const Version = z.number().int().nonnegative();
const Hash = z.string().regex(/^[0-9a-f]{64}$/, "hash is a snapshot's sha256 in hex");

/** The position as tRPC's SSE carries it back on reconnect ("lastEventId"): "<epoch>:<version>". */
export const StreamPosition = z.string().regex(/^[0-9a-f]{16}:\d{1,15}$/, "lastEventId is <epoch>:<version>, as the stream sent it");

export const SnapshotStreamInput = z
  .object({
    /** The state the caller holds; the stream starts with the deltas after it, or with the whole snapshot. */
    lastEventId: StreamPosition.nullish(),
  })
  .strict()
  .optional();
export type SnapshotStreamInput = z.infer<typeof SnapshotStreamInput>;

export const SnapshotFullInput = z
  .object({
    /** Accept a cached snapshot at most this old (the agent has its own bound too). */
    maxAgeMs: z.number().int().min(0).max(3_600_000).optional(),
  })
  .strict()
  .optional();
export type SnapshotFullInput = z.infer<typeof SnapshotFullInput>;

export const SnapshotFullMessage = z.object({ type: z.literal("full"), epoch: Epoch, version: Version, hash: Hash, snapshot: NodeSnapshot }).strict();
export type SnapshotFullMessage = z.infer<typeof SnapshotFullMessage>;

export const SnapshotDeltaMessage = z.object({ type: z.literal("delta"), epoch: Epoch, from: Version, version: Version, hash: Hash, delta: SnapshotDelta }).strict();
export type SnapshotDeltaMessage = z.infer<typeof SnapshotDeltaMessage>;

/** Sent when nothing changed for `intervalMs`: the agent is alive and its node still at `version`. */
export const SnapshotHeartbeat = z.object({ type: z.literal("heartbeat"), epoch: Epoch, version: Version, hash: Hash, at: z.iso.datetime({ offset: true }), intervalMs: z.number().int().positive() }).strict();
export type SnapshotHeartbeat = z.infer<typeof SnapshotHeartbeat>;

export const SnapshotStreamMessage = z.discriminatedUnion("type", [SnapshotFullMessage, SnapshotDeltaMessage, SnapshotHeartbeat]);
export type SnapshotStreamMessage = z.infer<typeof SnapshotStreamMessage>;

/** "abc…:12" → its parts. */
export function parsePosition(position: string): { epoch: string; version: number } {
  const at = position.indexOf(":");
  return { epoch: position.slice(0, at), version: Number(position.slice(at + 1)) };
}

/** The position of a message, as its SSE id. */
export const positionOf = (m: { epoch: string; version: number }) => `${m.epoch}:${m.version}`;
