"use client";
import { describeOp } from "@netatlas/core";
import type { WaveCheck } from "../fleet/reconcile-model";
import { useMutation, useQuery } from "@tanstack/react-query";
import { api, fieldErrors } from "../client/api";
import { QueryState } from "./query-state";

const STATE_CLASS: Record<string, string> = { applied: "status-up", failed: "status-down", stale: "status-stale", applying: "status-stale", waiting: "muted", "not-started": "muted" };
// A skipped probe proved nothing: it is shown as such, never as ok.
const CHECK_CLASS: Record<WaveCheck["result"], string> = { passed: "status-up", failed: "status-down", skipped: "status-stale" };
const CHECK_LABEL: Record<WaveCheck["result"], string> = { passed: "ok", failed: "failed", skipped: "skipped" };

/** An apply job's progress per node and its result per op, polled while it runs; a stale plan offers a fresh one. */
export function ApplyJobView({ jobId, canAct, onReplanned }: { jobId: number; canAct: boolean; onReplanned: (planSetId: number) => void }) {
  const job = useQuery({ queryKey: ["job", jobId], queryFn: () => api.reconcile.job.query({ id: jobId }), refetchInterval: (q) => (q.state.data?.status === "running" ? 1_000 : false) });
  const replan = useMutation({
    mutationFn: async () => {
      const set = await api.reconcile.plans.query({ id: job.data?.planSetId as number });
      const repairOf = set.kind === "repair" ? set.nodes[0]?.node : undefined;
      return repairOf ? api.reconcile.planRepair.mutate({ node: repairOf }) : api.reconcile.plan.mutate();
    },
    onSuccess: (set) => onReplanned(set.id),
  });
  return (
    <section className="card" data-testid="apply-job">
      <QueryState query={job}>
        {(j) => {
          const stale = j.progress.nodes.filter((n) => n.state === "stale");
          return (
            <>
              <h2>
                Apply job {j.id}: <span data-testid="job-status" className={j.status === "succeeded" ? "status-up" : j.status === "running" ? "status-stale" : "status-down"}>{j.status}</span>
              </h2>
              <p className="muted">started {new Date(j.startedAt).toLocaleString()} by {j.author}{j.finishedAt && `, finished ${new Date(j.finishedAt).toLocaleString()}`}</p>
              {j.message && <p data-testid="job-message" className={j.status === "succeeded" ? "" : "status-down"}>{j.message}</p>}
              {stale.length > 0 && (
                <div className="confirm" role="alert">
                  <p>The node changed after the plan was made, so the agent refused the old plan. Nothing ran on {stale.map((n) => n.node).join(", ")}. Make a fresh plan and review it.</p>
                  {canAct && <button type="button" disabled={replan.isPending} onClick={() => replan.mutate()}>Plan again</button>}
                  {replan.isError && <p className="field-error">{Object.values(fieldErrors(replan.error)).join("; ")}</p>}
                </div>
              )}
              <table>
                <thead><tr><th>Wave</th><th>Node</th><th>State</th><th>Result per op</th></tr></thead>
                <tbody>
                  {j.progress.nodes.map((n) => (
                    <tr key={n.node} data-job-node={n.node}>
                      <td>{n.wave}</td>
                      <td>{n.node}<div className="muted mono">{n.planHash.slice(0, 12)}…</div></td>
                      <td className={STATE_CLASS[n.state]} data-testid="node-state">{n.state}{n.error && <div className="status-down">{n.error}</div>}</td>
                      <td>
                        {n.results.length ? (
                          <ul className="changes">{n.results.map((r, i) => <li key={i} className="mono"><span className={r.status === "applied" ? "status-up" : "status-down"}>{r.status}</span> {describeOp(r.op)}{r.error && ` — ${r.error}`}</li>)}</ul>
                        ) : (
                          <span className="muted">{n.ops} op(s){n.state === "applied" ? "" : " planned"}</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {j.progress.checks.length > 0 && (
                <>
                  <h3>Checks across nodes</h3>
                  <table>
                    <thead><tr><th>After wave</th><th>From</th><th>To</th><th>Result</th></tr></thead>
                    <tbody>{j.progress.checks.map((c, i) => <tr key={i} data-check={`${c.from}-${c.to}`}><td>{c.wave}</td><td>{c.from}</td><td>{c.to} <span className="mono">{c.target}</span></td><td className={CHECK_CLASS[c.result]} data-check-result={c.result}>{CHECK_LABEL[c.result]} ({c.kind}): {c.detail}</td></tr>)}</tbody>
                  </table>
                </>
              )}
            </>
          );
        }}
      </QueryState>
    </section>
  );
}
