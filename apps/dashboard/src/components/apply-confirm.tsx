"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { api, fieldErrors } from "../client/api";
import { isDisruptive } from "@netatlas/core";
import type { PlanEntry } from "../fleet/reconcile-model";

/** Apply needs two clicks: the first says exactly what will change, the second starts the job. */
export function ApplyConfirm({ planSetId, entries, label, onStarted }: { planSetId: number; entries: PlanEntry[]; label: string; onStarted: (jobId: number) => void }) {
  const [asking, setAsking] = useState(false);
  const [allowDisruptive, setAllowDisruptive] = useState(false);
  const nodes = entries.map((e) => e.node);
  const ops = entries.reduce((n, e) => n + (e.plan?.ops.length ?? 0), 0);
  const disruptive = entries.reduce((n, e) => n + (e.plan?.ops.filter(isDisruptive).length ?? 0), 0);
  const start = useMutation({
    mutationFn: () => api.reconcile.startApply.mutate({ planSetId, nodes, confirm: true, allowDisruptive }),
    onSuccess: (job) => {
      setAsking(false);
      onStarted(job.id);
    },
  });
  const error = start.isError ? Object.values(fieldErrors(start.error)).join("; ") : undefined;
  if (!asking) return <button type="button" onClick={() => setAsking(true)}>{label}</button>;
  return (
    <div className="confirm" role="dialog" aria-label="Confirm apply">
      <p>
        Apply {ops} op(s) on {nodes.join(", ")}
        {nodes.length > 1 ? ` in waves: ${nodes[0]} first, then ${nodes.slice(1).join(", ")}; it stops at the first failure or failed cross-node probe.` : "."}
      </p>
      {disruptive > 0 && (
        <label className="sev-error">
          <input type="checkbox" checked={allowDisruptive} onChange={(e) => setAllowDisruptive(e.target.checked)} /> I reviewed the {disruptive} disruptive op(s): running containers will be cut off
        </label>
      )}
      <div className="toolbar">
        <button type="button" className="danger" disabled={start.isPending || (disruptive > 0 && !allowDisruptive)} onClick={() => start.mutate()}>Confirm apply</button>
        <button type="button" onClick={() => setAsking(false)}>Cancel</button>
      </div>
      {error && <p className="field-error" role="alert">{error}</p>}
    </div>
  );
}
