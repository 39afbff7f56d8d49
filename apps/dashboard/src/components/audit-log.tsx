"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../client/api";
import { QueryState } from "./query-state";

/** Who changed what through the dashboard; fetched only when opened. */
export function AuditLog() {
  const [open, setOpen] = useState(false);
  const entries = useQuery({ queryKey: ["audit"], queryFn: () => api.audit.list.query(), enabled: open });
  return (
    <details className="card" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Audit log</summary>
      {open && (
        <QueryState query={entries}>
          {(list) =>
            list.length ? (
              <table>
                <thead><tr><th>When</th><th>Who</th><th>What</th><th>On</th><th>Detail</th></tr></thead>
                <tbody>{list.map((e) => <tr key={e.id}><td className="mono">{new Date(e.at).toLocaleString()}</td><td>{e.actor}</td><td>{e.action}</td><td>{e.target}</td><td className="mono">{e.detail}</td></tr>)}</tbody>
              </table>
            ) : (
              <p className="muted">Nothing changed through the dashboard yet.</p>
            )
          }
        </QueryState>
      )}
    </details>
  );
}
