"use client";
import { useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { api, fieldErrors } from "../../client/api";
import { NodePicker, useNodeParam } from "../../components/node-picker";
import { QueryState } from "../../components/query-state";

/** The value of a datetime-local input (whole seconds, rounded up so that the moment is inside the stored state). */
const local = (iso: string) => {
  const d = new Date(Math.ceil(Date.parse(iso) / 1000) * 1000);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
};

/** Pick two times and see what changed on a node, from its stored snapshots. */
export default function HistoryPage() {
  const node = useNodeParam();
  const params = useSearchParams();
  const router = useRouter();
  const path = usePathname();
  const [from, setFrom] = useState(params.get("from") ?? "");
  const [to, setTo] = useState(params.get("to") ?? "");
  const chosen = { from: params.get("from"), to: params.get("to") };
  const timeline = useQuery({ queryKey: ["timeline", node], queryFn: () => api.history.timeline.query({ node: node as string }), enabled: !!node });
  const diff = useQuery({
    queryKey: ["diff", node, chosen.from, chosen.to],
    queryFn: () => api.history.diff.query({ node: node as string, from: new Date(chosen.from as string).toISOString(), to: new Date(chosen.to as string).toISOString() }),
    enabled: !!node && !!chosen.from && !!chosen.to,
    retry: false,
  });
  // Until a person picks, compare the oldest stored state with now.
  const oldest = timeline.data?.at(-1)?.collectedAt;
  useEffect(() => {
    if (!oldest) return;
    setFrom((f) => f || local(oldest));
    setTo((t) => t || local(new Date().toISOString()));
  }, [oldest]);
  const errors = diff.isError ? fieldErrors(diff.error) : {};
  const compare = () => {
    const next = new URLSearchParams(params);
    next.set("from", from);
    next.set("to", to);
    router.replace(`${path}?${next.toString()}`);
  };
  return (
    <>
      <h1>History</h1>
      <div className="toolbar"><NodePicker allowFleet={false} /></div>
      {!node ? (
        <p className="muted">Choose a node to see its stored states.</p>
      ) : (
        <>
          <form className="toolbar" onSubmit={(e) => { e.preventDefault(); compare(); }}>
            <label>From <input type="datetime-local" step={1} name="from" value={from} onChange={(e) => setFrom(e.target.value)} aria-invalid={!!errors.from} /></label>
            {errors.from && <span className="field-error" role="alert">{errors.from}</span>}
            <label>To <input type="datetime-local" step={1} name="to" value={to} onChange={(e) => setTo(e.target.value)} aria-invalid={!!errors.to} /></label>
            {errors.to && <span className="field-error" role="alert">{errors.to}</span>}
            <button type="submit" disabled={!from || !to}>Compare</button>
            {errors.form && <span className="field-error" role="alert">{errors.form}</span>}
          </form>
          {diff.isSuccess && (
            <section className="card">
              <h2>Changes from {new Date(diff.data.from).toLocaleString()} to {new Date(diff.data.to).toLocaleString()}</h2>
              {diff.data.changes.length ? (
                <table>
                  <thead><tr><th>What</th><th>Change</th><th>Subject</th><th>Detail</th></tr></thead>
                  <tbody>{diff.data.changes.map((c, i) => <tr key={i}><td>{c.kind}</td><td className={c.action === "removed" ? "sev-error" : c.action === "added" ? "status-up" : "sev-warning"}>{c.action}</td><td className="mono">{c.subject}</td><td className="mono">{c.detail}</td></tr>)}</tbody>
                </table>
              ) : (
                <p className="muted">Nothing changed between these two times.</p>
              )}
              <h3>Events in between ({diff.data.events.length})</h3>
              <ul className="mono">{diff.data.events.slice(0, 100).map((e, i) => <li key={i}>{new Date(e.at).toLocaleTimeString()} {e.kind} {e.action} {e.subject}{e.detail ? ` — ${e.detail}` : ""}</li>)}</ul>
            </section>
          )}
          {diff.isPending && diff.fetchStatus === "fetching" && <p className="loading">Comparing…</p>}
          <h2>Stored states</h2>
          <QueryState query={timeline}>
            {(list) => (
              <table>
                <thead><tr><th>From</th><th>Held until</th><th></th></tr></thead>
                <tbody>
                  {list.map((s) => (
                    <tr key={s.id}>
                      <td className="mono">{new Date(s.collectedAt).toLocaleString()}</td>
                      <td className="mono">{new Date(s.lastSeenAt).toLocaleString()}</td>
                      <td>
                        <button className="link" onClick={() => setFrom(local(s.collectedAt))}>use as from</button>
                        <button className="link" onClick={() => setTo(local(s.lastSeenAt))}>use as to</button>
                      </td>
                    </tr>
                  ))}
                  {!list.length && <tr><td colSpan={3} className="muted">Nothing stored yet.</td></tr>}
                </tbody>
              </table>
            )}
          </QueryState>
        </>
      )}
    </>
  );
}
