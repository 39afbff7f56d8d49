import { AgentEvent, SnapshotDelta } from "@netatlas/core";
import { z } from "zod";
import { NodeName } from "../agent-target";

/** What one replica tells the others about a node it leads; each carries the sender's replica id. */
export const ReplicaNotice = z.discriminatedUnion("kind", [
  /**
   * The node's new state is in the database, with the agent's hash of it, and (when it fits)
   * the agent's delta from the state whose hash is `deltaFrom`: a follower that holds that
   * state takes the delta and reads nothing.
   */
  z
    .object({ kind: z.literal("state"), from: z.string(), node: NodeName, hash: z.string().min(1).max(256), delta: SnapshotDelta.optional(), deltaFrom: z.string().min(1).max(256).optional() })
    .strict(),
  /** An event the node's agent sent (not read back from the database: followers show it live). */
  z.object({ kind: z.literal("event"), from: z.string(), node: NodeName, event: AgentEvent }).strict(),
  /** The leader heard from the agent, or failed to (`error`). */
  z.object({ kind: z.literal("seen"), from: z.string(), node: NodeName, error: z.string().nullable() }).strict(),
]);
export type ReplicaNotice = z.infer<typeof ReplicaNotice>;

/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more. */
export const MAX_NOTICE_BYTES = 7_999;

/**
 * The notice as a NOTIFY payload, or undefined when it cannot fit: a state's delta is
 * dropped (followers read the state), an event's `detail` is dropped first (the subject
 * still says what changed), an error's text is cut.
 */
export function noticePayload(notice: ReplicaNotice): string | undefined {
  const fits = (n: ReplicaNotice) => {
    const text = JSON.stringify(n);
    return Buffer.byteLength(text) <= MAX_NOTICE_BYTES ? text : undefined;
  };
  const whole = fits(notice);
  if (whole) return whole;
  if (notice.kind === "state") return fits({ ...notice, delta: undefined, deltaFrom: undefined });
  if (notice.kind === "event") return fits({ ...notice, event: { ...notice.event, detail: undefined } });
  if (notice.kind === "seen" && notice.error) return fits({ ...notice, error: `${notice.error.slice(0, 2_000)}…` });
  return undefined;
}
