"use client";
import { describeOp, isDisruptive } from "@netatlas/core";
import type { PlanEntry } from "../fleet/reconcile-model";

/** One node's plan, op by op with the reason for each, and its hash; or why the node is left out. */
export function PlanView({ entry, children }: { entry: PlanEntry; children?: React.ReactNode }) {
  return (
    <section className="card" data-plan-node={entry.node} data-plan-status={entry.status}>
      <h3>
        {entry.node}
        {entry.dashboardNode && entry.dashboardNode !== entry.node && <span className="muted"> (dashboard node {entry.dashboardNode})</span>}{" "}
        <span className={entry.status === "planned" ? "status-up" : "status-down"}>{entry.status}</span>
      </h3>
      {entry.error && <p className="status-down" role="alert">{entry.error}</p>}
      {entry.plan && (
        <>
          <p className="muted">
            plan hash <code data-testid="plan-hash">{entry.plan.hash}</code> · {entry.plan.ops.length ? `${entry.plan.ops.length} op(s)` : "no change needed: the node matches (applying makes its agent keep this intent)"}
          </p>
          {entry.plan.ops.length > 0 && (
            <table>
              <thead><tr><th>#</th><th>Change</th><th>Why</th></tr></thead>
              <tbody>
                {entry.plan.ops.map((op, i) => (
                  <tr key={i} data-op={op.op} className={isDisruptive(op) ? "disruptive" : ""}>
                    <td>{i + 1}</td>
                    <td className="mono">{describeOp(op)}{isDisruptive(op) && <div className="sev-error">disruptive: running containers lose this network</div>}</td>
                    <td>{op.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {entry.plan.conflicts.map((c) => <p key={c} className="sev-warning">not netatlas&apos;s, left alone: {c}</p>)}
        </>
      )}
      {children}
    </section>
  );
}
