import { formatAge } from "@netatlas/core";
import type { NodeStatus } from "../fleet/status";

/** "up", "stale (snapshot 3 min old)", "down": with the reason on hover. */
export function NodeStatusBadge({ status, snapshotAgeMs, lastError }: { status: NodeStatus; snapshotAgeMs?: number; lastError?: string }) {
  return (
    <span className={`status-${status}`} title={lastError}>
      {status}
      {status !== "up" && snapshotAgeMs !== undefined && ` (snapshot ${formatAge(snapshotAgeMs)} old)`}
      {status === "down" && lastError && <span className="muted"> — {lastError}</span>}
    </span>
  );
}
