import type { TracePath } from "@netatlas/core";
import { verdictTone } from "../fleet/trace-highlight";
import { verdictRpFilter, verdictRules } from "../fleet/trace-verdict";

const TONE_CLASS = { ok: "status-up", bad: "status-down", uncertain: "status-stale" } as const;

/**
 * A path's verdict: its kind in the verdict's colour and its message, then what decided it
 * inside a firewall: the filter rule or policy that stopped the packet (or, uncertain, the
 * rules the trace could not decide and what stops the packet the other way), or the
 * reverse-path check that refused it, each with where to find it.
 */
export function TraceVerdictView({ path }: { path: TracePath }) {
  const rules = verdictRules(path);
  const rp = verdictRpFilter(path);
  return (
    <>
      <p data-testid="verdict">
        <strong className={TONE_CLASS[verdictTone(path.verdict.kind)]}>{path.verdict.kind}</strong> {path.verdict.message}
      </p>
      {rules.length > 0 && (
        <table data-testid="verdict-rules">
          <thead><tr><th></th><th>Node</th><th>Namespace</th><th>Family, table, chain</th><th>Hook</th><th>Handle</th><th>Rule</th><th>Hop</th></tr></thead>
          <tbody>
            {rules.map((r, i) => (
              <tr key={i} data-role={r.role}>
                <td>{r.role}</td>
                <td>{r.node}</td>
                <td>{r.namespace}</td>
                <td className="mono">{r.chain}</td>
                <td>{r.hook}</td>
                <td className="mono">{r.handle ?? "policy"}</td>
                <td className="mono">{r.text}{r.reason && <span className="muted"> — {r.reason}</span>}</td>
                <td>{r.hop === undefined ? "" : `#${r.hop}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {rp && (
        <p data-testid="verdict-rp-filter">
          Reverse-path check on {rp.node} ({rp.namespace}){rp.hop === undefined ? "" : `, hop #${rp.hop}`}: rp_filter {rp.mode} on <span className="mono">{rp.interface}</span>; the route back{" "}
          {rp.route ? <span className="mono">{rp.route}</span> : "is missing"}
        </p>
      )}
    </>
  );
}
