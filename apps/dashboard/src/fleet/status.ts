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

/** "4 s", "3 min", "2 h", "5 d": the age a person reads at a glance. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `${s} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}
