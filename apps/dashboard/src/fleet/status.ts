/** How a node looks from the dashboard: answering, answering late, or never reached. */
export type NodeStatus = "up" | "stale" | "down";

/**
 * A node is stale when its last answer is older than two poll intervals or its
 * last poll failed while an older snapshot still shows; down when it never answered.
 */
export function nodeStatus(input: { lastSeenAt?: number; lastError?: string; hasSnapshot: boolean }, now: number, pollIntervalMs: number): NodeStatus {
  if (!input.hasSnapshot) return "down";
  if (input.lastError || input.lastSeenAt === undefined || now - input.lastSeenAt > 2 * pollIntervalMs) return "stale";
  return "up";
}
