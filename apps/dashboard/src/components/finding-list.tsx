import Link from "next/link";
import { ACROSS_NODES, type FleetFinding } from "../fleet/aggregate";
import { CopyButton } from "./copy-button";

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
            {showNode && <td>{f.node === ACROSS_NODES ? <span title="a finding across nodes: its message and subjects name them">{f.node}</span> : <Link href={`/nodes/${encodeURIComponent(f.node)}`}>{f.node}</Link>}</td>}
            <td>{f.message}<div className="muted mono">{f.code}: {f.subjects.join(", ")}{f.firstSeenAt ? ` · since ${new Date(f.firstSeenAt).toLocaleString()}` : ""}</div></td>
            <td>
              {f.hint ?? (!f.fix && <span className="muted">—</span>)}
              {f.fix && <div data-testid="fix"><code>{f.fix}</code> <CopyButton text={f.fix.replace(/^[^:\s]+: /, "")} label="copy command" /></div>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
