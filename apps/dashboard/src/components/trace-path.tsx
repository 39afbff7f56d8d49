import type { TraceHop, TracePath as Path } from "@netatlas/core";
import { filterRuleText } from "../fleet/trace-verdict";
import { TraceTopology } from "./trace-topology";
import { TraceVerdictView } from "./trace-verdict";

/** A filter hop's rules with their tables, chains and handles; any other hop's rule as it is. */
const ruleOf = (h: TraceHop) => (h.filter?.length ? h.filter.map(filterRuleText).join("\n") : h.rule);

/** One direction of a trace: the verdict with what decided it, the path on the topology, and every hop with the rule that decided it. */
export function TracePathView({ title, path }: { title: string; path: Path }) {
  return (
    <section className="card" data-path={title}>
      <h2>{title}</h2>
      <TraceVerdictView path={path} />
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
              <td className="mono" style={{ whiteSpace: "pre-line" }}>{ruleOf(h)}</td>
              <td>{h.detail}</td>
            </tr>
          ))}
          {!path.hops.length && <tr><td colSpan={7} className="muted">No hops: the packet never left.</td></tr>}
        </tbody>
      </table>
    </section>
  );
}
