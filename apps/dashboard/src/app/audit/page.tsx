"use client";
import { useQuery } from "@tanstack/react-query";
import { useRouter, useSearchParams } from "next/navigation";
import { api } from "../../client/api";
import { QueryState } from "../../components/query-state";

/** datetime-local (the browser's local time, no zone) to an ISO instant, or undefined while incomplete. */
const toIso = (local: string | null) => (local && !Number.isNaN(Date.parse(local)) ? new Date(local).toISOString() : undefined);

/** Everything done through the dashboard, filtered in the URL (linkable), exportable as JSON with the same filter. */
export default function AuditPage() {
  const params = useSearchParams();
  const router = useRouter();
  const value = (k: "action" | "actor" | "node" | "from" | "to") => params.get(k) ?? "";
  const filter = { action: value("action") || undefined, actor: value("actor") || undefined, node: value("node") || undefined, from: toIso(params.get("from")), to: toIso(params.get("to")) };
  const entries = useQuery({ queryKey: ["audit", filter], queryFn: () => api.audit.list.query(filter), refetchInterval: 5_000 });
  const facets = useQuery({ queryKey: ["audit-facets"], queryFn: () => api.audit.facets.query() });
  const setParam = (key: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(key, v);
    else next.delete(key);
    router.replace(`/audit?${next.toString()}`);
  };
  const exportQuery = new URLSearchParams(Object.entries(filter).flatMap(([k, v]) => (v ? [[k, v]] : []))).toString();
  return (
    <>
      <h1>Audit log</h1>
      <div className="toolbar">
        <select aria-label="Action" value={value("action")} onChange={(e) => setParam("action", e.target.value)}>
          <option value="">any action</option>
          {facets.data?.actions.map((a) => <option key={a} value={a}>{a}</option>)}
        </select>
        <select aria-label="Actor" value={value("actor")} onChange={(e) => setParam("actor", e.target.value)}>
          <option value="">anyone</option>
          {facets.data?.actors.map((a) => <option key={a} value={a}>{a}</option>)}
        </select>
        <input aria-label="Node" placeholder="node, fleet or dashboard" value={value("node")} onChange={(e) => setParam("node", e.target.value)} />
        <label>from <input type="datetime-local" aria-label="From" value={value("from")} onChange={(e) => setParam("from", e.target.value)} /></label>
        <label>to <input type="datetime-local" aria-label="To" value={value("to")} onChange={(e) => setParam("to", e.target.value)} /></label>
        <a href={`/api/audit/export${exportQuery ? `?${exportQuery}` : ""}`} download>Export JSON</a>
      </div>
      <QueryState query={entries}>
        {(list) => (
          <table data-testid="audit">
            <thead><tr><th>When</th><th>Who</th><th>What</th><th>On</th><th>Detail</th></tr></thead>
            <tbody>
              {list.map((e) => (
                <tr key={e.id} data-action={e.action}>
                  <td className="mono">{new Date(e.at).toLocaleString()}</td><td>{e.actor}</td><td>{e.action}</td><td>{e.target}</td>
                  <td className="mono detail">{e.detail === null ? "" : JSON.stringify(e.detail)}</td>
                </tr>
              ))}
              {!list.length && <tr><td colSpan={5} className="muted">Nothing matches.</td></tr>}
            </tbody>
          </table>
        )}
      </QueryState>
    </>
  );
}
