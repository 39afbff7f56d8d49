"use client";
import { describeOp } from "@netatlas/core";
import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { api, fieldErrors } from "../../client/api";
import { useRole } from "../../client/use-role";
import { ModeSelect } from "../../components/mode-select";
import { QueryState } from "../../components/query-state";
import { formatAge } from "@netatlas/core";

/** Where nodes differ from the intent their agents keep, since when; repair is a reviewed plan again. */
export default function DriftPage() {
  const router = useRouter();
  const admin = useRole() === "admin";
  const drift = useQuery({ queryKey: ["drift"], queryFn: () => api.reconcile.drift.query(), refetchInterval: 2_000 });
  const repair = useMutation({ mutationFn: (node: string) => api.reconcile.planRepair.mutate({ node }), onSuccess: (set) => router.push(`/plans?set=${set.id}`) });
  return (
    <>
      <h1>Drift</h1>
      <p className="muted">Each agent compares its node with the intent it keeps (the last one applied) and reports what differs.</p>
      {repair.isError && <p className="field-error" role="alert">{Object.values(fieldErrors(repair.error)).join("; ")}</p>}
      <QueryState query={drift}>
        {(nodes) => (
          <table>
            <thead><tr><th>Node</th><th>Mode</th><th>State</th><th>What differs</th><th>Since</th><th /></tr></thead>
            <tbody>
              {nodes.map((n) => (
                <tr key={n.node} data-drift-node={n.node} data-drifting={n.ops.length > 0}>
                  <td><Link href={`/nodes/${encodeURIComponent(n.node)}`}>{n.node}</Link></td>
                  <td>{n.mode ? admin ? <ModeSelect node={n.node} mode={n.mode} /> : n.mode : <span className="muted">?</span>}</td>
                  <td>
                    {n.error ? <span className="status-down">agent not answering: {n.error}</span> : !n.hasIntent ? <span className="muted">no intent kept yet</span> : n.ops.length ? <span className="status-down">drifted</span> : <span className="status-up">matches its intent</span>}
                    {n.journal && <div className="sev-warning">an apply was cut off after {n.journal.opsDone} of {n.journal.ops} ops</div>}
                  </td>
                  <td>
                    {n.ops.length > 0 && <ul className="changes">{n.ops.map((op, i) => <li key={i}><span className="mono">{describeOp(op)}</span> <span className="muted">({op.reason})</span></li>)}</ul>}
                  </td>
                  <td data-testid="since">{n.firstSeenAt ? <>{new Date(n.firstSeenAt).toLocaleString()} <span className="muted">({formatAge(Date.now() - Date.parse(n.firstSeenAt))} ago)</span></> : ""}</td>
                  <td>{admin && n.ops.length > 0 && <button type="button" disabled={repair.isPending} onClick={() => repair.mutate(n.node)}>Repair…</button>}</td>
                </tr>
              ))}
              {!nodes.length && <tr><td colSpan={6} className="muted">No nodes in the fleet.</td></tr>}
            </tbody>
          </table>
        )}
      </QueryState>
    </>
  );
}
