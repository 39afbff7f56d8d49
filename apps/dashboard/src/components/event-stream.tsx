"use client";
import { useLiveEvents, type LiveStatus } from "../client/use-live-events";

const SAID: Record<LiveStatus, string> = {
  connecting: "connecting…",
  live: "live",
  reconnecting: "connection lost, reconnecting…",
  closed: "stream closed (signed out, or the node was removed); reload the page",
};

/** The node's changes as its agent reports them, pushed by the dashboard as they arrive. */
export function EventStream({ node }: { node: string }) {
  const { events, status } = useLiveEvents(node);
  return (
    <>
      <p className={status === "closed" ? "error" : "muted"} role="status" data-testid="event-stream-status" data-status={status}>Stream: {SAID[status]}</p>
      {events.length ? (
        <table>
          <thead><tr><th>When</th><th>What</th><th>Change</th></tr></thead>
          <tbody>{events.map((e) => <tr key={`${e.seq}/${e.at}`} data-at={e.at}><td className="mono">{new Date(e.at).toLocaleTimeString()}</td><td>{e.kind} {e.action}</td><td className="mono">{e.subject}{e.detail ? ` — ${e.detail}` : ""}</td></tr>)}</tbody>
        </table>
      ) : (
        <p className="muted">No changes since the dashboard started following this node.</p>
      )}
    </>
  );
}
