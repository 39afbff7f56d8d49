"use client";
import { useQuery } from "@tanstack/react-query";
import { api } from "../client/api";
import { QueryState } from "./query-state";

/** The node's live changes as its agent reports them (refreshed every 2 s). */
export function EventStream({ node }: { node: string }) {
  const events = useQuery({ queryKey: ["events", node], queryFn: () => api.node.events.query({ name: node }), refetchInterval: 2_000 });
  return (
    <QueryState query={events}>
      {(list) =>
        list.length ? (
          <table>
            <thead><tr><th>When</th><th>What</th><th>Change</th></tr></thead>
            <tbody>{list.map((e) => <tr key={e.seq}><td className="mono">{new Date(e.at).toLocaleTimeString()}</td><td>{e.kind} {e.action}</td><td className="mono">{e.subject}{e.detail ? ` — ${e.detail}` : ""}</td></tr>)}</tbody>
          </table>
        ) : (
          <p className="muted">No changes since the dashboard started following this node.</p>
        )
      }
    </QueryState>
  );
}
