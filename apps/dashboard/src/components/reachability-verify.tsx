"use client";
import { useMutation } from "@tanstack/react-query";
import { api, fieldErrors } from "../client/api";
import { MOST_CELLS_VERIFIED, type CellVerification } from "../fleet/cell-verification";
import { pairsToVerify, probeText, verificationTally, type GridView, type Pair } from "../fleet/reachability-view";

/**
 * Verify (admin): real probes of the chosen cell, its row, its column or every pair in
 * view, each from the source node's agent; the answers go to the heat map and the pair.
 */
export function ReachabilityVerify({ view, selected, verifications, onVerified }: { view: GridView; selected?: Pair; verifications: ReadonlyMap<string, CellVerification>; onVerified: (results: CellVerification[]) => void }) {
  const verify = useMutation({ mutationFn: (cells: Pair[]) => api.reachability.verify.mutate({ cells }), onSuccess: onVerified });
  const errors = verify.isError ? fieldErrors(verify.error) : {};
  const all = pairsToVerify(view, {});
  const button = (label: string, cells: Pair[], why?: string) => (
    <button onClick={() => verify.mutate(cells)} disabled={verify.isPending || !cells.length || cells.length > MOST_CELLS_VERIFIED} title={why ?? (cells.length > MOST_CELLS_VERIFIED ? `${cells.length} pairs are more than ${MOST_CELLS_VERIFIED} at once: filter the nodes, or verify a row or a column` : `${cells.length} probe(s)`)}>
      {label}
    </button>
  );
  const { counts, disagreements } = verificationTally(view, verifications);
  return (
    <section className="card" data-testid="verify">
      <h2>Verify with real probes</h2>
      <div className="toolbar">
        {button(selected ? `Verify ${selected.from} → ${selected.to}` : "Verify cell", selected ? pairsToVerify(view, { row: selected.from, column: selected.to }) : [], selected ? undefined : "click a cell first")}
        {button(selected ? `Verify row ${selected.from}` : "Verify row", selected ? pairsToVerify(view, { row: selected.from }) : [], selected ? undefined : "click a cell first")}
        {button(selected ? `Verify column ${selected.to}` : "Verify column", selected ? pairsToVerify(view, { column: selected.to }) : [], selected ? undefined : "click a cell first")}
        {button(`Verify all ${all.length} pairs in view`, all)}
        {verify.isPending && <span className="loading" role="status">Probing {verify.variables.length} pair(s), 8 at a time…</span>}
      </div>
      {Object.entries(errors).map(([field, message]) => <p key={field} className="field-error" role="alert">{field === "form" ? message : `${field}: ${message}`}</p>)}
      {verifications.size > 0 && (
        <p data-testid="verify-tally">
          Probed: <span className="status-up">{counts.agree} agree</span>, <strong className="status-disagree">{counts.disagree} disagree</strong>, {counts["not-probed"]} not probed, {counts.outdated} answered an older state.
          <span className="muted"> A disagreement is a netatlas bug or kernel state the snapshot does not read.</span>
        </p>
      )}
      {disagreements.length > 0 && (
        <table data-testid="disagreements">
          <thead><tr><th>From</th><th>To</th><th>State</th><th>Probe</th><th>Why they differ</th></tr></thead>
          <tbody>
            {disagreements.map((d) => (
              <tr key={`${d.from}>${d.to}`} data-pair={`${d.from}>${d.to}`}>
                <td>{d.from}</td><td>{d.to}</td><td>{d.state}</td><td>{probeText(d)}</td><td>{d.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
