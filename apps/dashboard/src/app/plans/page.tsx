"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { api, fieldErrors } from "../../client/api";
import { useRole } from "../../client/use-role";
import { ApplyConfirm } from "../../components/apply-confirm";
import { ApplyJobView } from "../../components/apply-job-view";
import { PlanView } from "../../components/plan-view";
import { QueryState } from "../../components/query-state";
import { RecentJobs } from "../../components/recent-jobs";

/** Every node's plan against the newest spec (or one node's repair), reviewed and applied in waves; ?set= and ?job= make it linkable. */
export default function PlansPage() {
  const params = useSearchParams();
  const router = useRouter();
  const role = useRole();
  const setId = Number(params.get("set") ?? "") || undefined;
  const jobId = Number(params.get("job") ?? "") || undefined;
  const go = (next: { set?: number; job?: number }) => router.replace(`/plans?${new URLSearchParams(Object.entries(next).flatMap(([k, v]) => (v ? [[k, String(v)]] : []))).toString()}`);
  const set = useQuery({ queryKey: ["plan-set", setId ?? "latest"], queryFn: () => (setId ? api.reconcile.plans.query({ id: setId }) : api.reconcile.latestPlans.query({ kind: "spec" })) });
  const spec = useQuery({ queryKey: ["spec", "latest"], queryFn: () => api.spec.latest.query() });
  const plan = useMutation({ mutationFn: () => api.reconcile.plan.mutate(), onSuccess: (s) => go({ set: s.id }) });
  const admin = role === "admin";
  return (
    <>
      <h1>Plans</h1>
      <div className="toolbar">
        <span className="muted">{spec.data ? <>Fleet spec version {spec.data.version} (<Link href="/spec">{admin ? "edit" : "view"}</Link>)</> : spec.isPending ? "" : <>No fleet spec yet: <Link href="/spec">write one</Link></>}</span>
        {admin && <button type="button" disabled={plan.isPending} onClick={() => plan.mutate()}>{plan.isPending ? "Asking the agents…" : "Plan against the newest spec"}</button>}
        {plan.isError && <span className="field-error" role="alert">{Object.values(fieldErrors(plan.error)).join("; ")}</span>}
      </div>
      {jobId && <ApplyJobView key={jobId} jobId={jobId} canAct={admin} onReplanned={(id) => go({ set: id })} />}
      <QueryState query={set}>
        {(s) =>
          !s ? (
            <p className="muted">No plans yet.{admin ? " Ask the agents with the button above." : ""}</p>
          ) : (
            <>
              <h2>
                {s.kind === "repair" ? `Repair of ${s.nodes[0]?.node ?? "?"}` : `Plans for spec version ${s.specVersion}`} <span className="muted">(plan set {s.id}, made {new Date(s.createdAt).toLocaleString()} by {s.author})</span>
              </h2>
              {s.kind === "spec" && spec.data && s.specVersion !== spec.data.version && <p className="sev-warning" role="alert">These plans are for spec version {s.specVersion}; the newest is {spec.data.version}. Plan again before applying.</p>}
              {admin && s.nodes.some((n) => n.status === "planned") && (
                <div className="toolbar" data-testid="apply-all">
                  <ApplyConfirm planSetId={s.id} entries={s.nodes.filter((n) => n.status === "planned")} label={s.kind === "repair" ? "Repair…" : "Apply all in waves…"} onStarted={(job) => go({ set: s.id, job })} />
                </div>
              )}
              {s.nodes.map((entry) => (
                <PlanView key={entry.node} entry={entry}>
                  {admin && entry.status === "planned" && s.nodes.length > 1 && <ApplyConfirm planSetId={s.id} entries={[entry]} label={`Apply ${entry.node} only…`} onStarted={(job) => go({ set: s.id, job })} />}
                </PlanView>
              ))}
            </>
          )
        }
      </QueryState>
      <RecentJobs />
    </>
  );
}
