import Link from "next/link";
import type { FleetFinding } from "../fleet/aggregate";

/** Findings with what to do about each. */
export function FindingList({ findings, showNode = false }: { findings: FleetFinding[]; showNode?: boolean }) {
  if (!findings.length) return <p className="muted">Nothing wrong found.</p>;
  return (
    <table>
      <thead><tr><th>Severity</th>{showNode && <th>Node</th>}<th>Finding</th><th>What to do</th></tr></thead>
      <tbody>
        {findings.map((f, i) => (
          <tr key={i} data-code={f.code}>
            <td className={`sev-${f.severity}`}>{f.severity}</td>
            {showNode && <td><Link href={`/nodes/${encodeURIComponent(f.node)}`}>{f.node}</Link></td>}
            <td>{f.message}<div className="muted mono">{f.code}: {f.subjects.join(", ")}{f.firstSeenAt ? ` · since ${new Date(f.firstSeenAt).toLocaleString()}` : ""}</div></td>
            <td>{f.hint ?? <span className="muted">—</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
