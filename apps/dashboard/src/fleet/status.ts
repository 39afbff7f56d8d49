/** How a node looks from the dashboard: answering, answering late, or never reached. */
export type NodeStatus = "up" | "stale" | "down";

/**
 * A node is stale when its agent was last heard from longer ago than twice the time
 * it is heard in (its heartbeat when it streams, the poll interval when it is polled),
 * or its stream or last poll failed while an older snapshot still shows; down when it
 * never answered.
 */
export function nodeStatus(input: { lastSeenAt?: number; lastError?: string; hasSnapshot: boolean; heardEveryMs?: number }, now: number, pollIntervalMs: number): NodeStatus {
  if (!input.hasSnapshot) return "down";
  if (input.lastError || input.lastSeenAt === undefined || now - input.lastSeenAt > 2 * (input.heardEveryMs ?? pollIntervalMs)) return "stale";
  return "up";
}
