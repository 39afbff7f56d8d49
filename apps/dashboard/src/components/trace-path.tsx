import type { TracePath as Path } from "@netatlas/core";

/**
 * The path drawn as a chain of node/namespace chips (consecutive hops in one
 * namespace share a chip), the deciding hop marked; the topology graph is not
 * reused here because its layout shows every element, not one path.
 */
function PathStrip({ path }: { path: Path }) {
  const stops = path.hops.reduce<{ key: string; node: string; netns: string; actions: string[]; decided: boolean }[]>((acc, hop, i) => {
    const key = `${hop.node}/${hop.netns.id}`;
    const last = acc.at(-1);
    const decided = path.verdict.hop === i;
    if (last?.key === key) {
      last.actions.push(hop.action);
      last.decided ||= decided;
    } else acc.push({ key, node: hop.node, netns: hop.netns.label, actions: [hop.action], decided });
    return acc;
  }, []);
  return (
    <div className="path-strip" aria-label="path drawing">
      {stops.map((s, i) => (
        <span key={i} className="path-stop">
          {i > 0 && <span className="path-arrow">→</span>}
          <span className={`chip${s.decided ? ` chip-${path.verdict.kind === "delivered" ? "ok" : "bad"}` : ""}`} title={s.actions.join(", ")}>
            <strong>{s.node}</strong> {s.netns}
          </span>
        </span>
      ))}
    </div>
  );
}

/** One direction of a trace: the drawing, the verdict with its message, and every hop with the rule that decided it. */
export function TracePathView({ title, path }: { title: string; path: Path }) {
  const ok = path.verdict.kind === "delivered";
  return (
    <section className="card" data-path={title}>
      <h2>{title}</h2>
      <p data-testid="verdict">
        <strong className={ok ? "status-up" : "status-down"}>{path.verdict.kind}</strong> {path.verdict.message}
      </p>
      <PathStrip path={path} />
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
