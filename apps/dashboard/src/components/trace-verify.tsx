"use client";
import { useMutation } from "@tanstack/react-query";
import { api, fieldErrors } from "../client/api";
import type { FirstHop } from "../fleet/trace-agreement";
import type { TraceRequest } from "../fleet/trace-request";

const hopText = (h: FirstHop | undefined) => (h ? `dev ${h.dev ?? "?"}${h.via ? ` via ${h.via}` : ""}` : "—");

/** "Verify" (admin): the source node's agent sends real packets; shows where they and the trace agree or differ. */
export function TraceVerify({ request }: { request: TraceRequest }) {
  const verify = useMutation({ mutationFn: () => api.trace.verify.mutate(request) });
  const errors = verify.isError ? fieldErrors(verify.error) : {};
  const result = verify.data;
  return (
    <section className="card" data-testid="verify">
      <h2>Verify with a real probe</h2>
      <button onClick={() => verify.mutate()} disabled={verify.isPending}>{verify.isPending ? "Probing…" : "Verify"}</button>
      {Object.entries(errors).map(([field, message]) => <p key={field} className="field-error" role="alert">{field === "form" ? message : `${field}: ${message}`}</p>)}
      {result && (
        <>
          <p data-testid="agreement">
            {/* An uncertain trace agrees with either outcome: the probe settles what it could not decide. */}
            <strong className={!result.agreement.agree ? "status-down" : result.agreement.expected === "either" ? "status-stale" : "status-up"}>{result.agreement.agree ? "agree" : "differ"}</strong> {result.agreement.message}
          </p>
          <table>
            <thead><tr><th></th><th>Trace (first routing hop)</th><th>Kernel (ip route get)</th><th></th></tr></thead>
            <tbody>
              <tr data-testid="first-hop">
                <td>first hop on {result.probe.node}</td>
                <td className="mono">{hopText(result.agreement.firstHop.trace)}</td>
                <td className="mono">{hopText(result.agreement.firstHop.kernel)}{result.agreement.firstHop.kernel?.type ? ` (${result.agreement.firstHop.kernel.type})` : ""}</td>
                <td>{result.agreement.firstHop.agree === null ? result.agreement.firstHop.error : result.agreement.firstHop.agree ? "same" : "different"}</td>
              </tr>
            </tbody>
          </table>
          <p className="mono">{result.probe.attempts.map((a, i) => (a.ok ? `#${i + 1} reply ${a.rttMs?.toFixed(2) ?? "?"} ms` : `#${i + 1} ${a.error ?? "no reply"}`)).join(" · ")}</p>
        </>
      )}
    </section>
  );
}
