import type { TracePath as Path } from "@netatlas/core";
import { TraceTopology } from "./trace-topology";

/** One direction of a trace: the path on the topology, the verdict with its message, and every hop with the rule that decided it. */
export function TracePathView({ title, path }: { title: string; path: Path }) {
  const ok = path.verdict.kind === "delivered";
  return (
    <section className="card" data-path={title}>
      <h2>{title}</h2>
      <p data-testid="verdict">
        <strong className={ok ? "status-up" : "status-down"}>{path.verdict.kind}</strong> {path.verdict.message}
      </p>
      <TraceTopology path={path} />
      <table>
        <thead><tr><th>#</th><th>Node</th><th>Namespace</th><th>Interfaces</th><th>Action</th><th>Deciding rule</th><th>Detail</th></tr></thead>
        <tbody>
          {path.hops.map((h, i) => (
            <tr key={i} data-hop={i} className={path.verdict.hop === i ? "decided" : undefined}>
              <td>{i + 1}</td>
              <td>{h.node}</td>
              <td>{h.netns.label}</td>
              <td className="mono">{h.interfaces.join(" → ")}</td>
              <td>{h.action}</td>
              <td className="mono">{h.rule}</td>
              <td>{h.detail}</td>
            </tr>
          ))}
          {!path.hops.length && <tr><td colSpan={7} className="muted">No hops: the packet never left.</td></tr>}
        </tbody>
      </table>
    </section>
  );
}
