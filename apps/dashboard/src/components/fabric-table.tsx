import type { InferredFabric } from "@netatlas/core";

/** Each node's share of the fabric and what it was learnt from ("inferred from cni0 10.244.1.1/24", or the spec's allocation). */
export function FabricTable({ fabric, nodes }: { fabric: InferredFabric; nodes: readonly string[] }) {
  const shown = new Set(nodes);
  const rows = fabric.nodes.filter((n) => shown.has(n.node));
  return (
    <section className="card" data-testid="fabric">
      <h2>The fabric, {fabric.fromSpec ? "as the fleet spec allocates it" : "inferred from the nodes' state"}</h2>
      <p className="muted">
        Backend: <strong>{fabric.backend}</strong>
        {fabric.podRange && <> · pod range <span className="mono">{fabric.podRange.cidr}</span> ({fabric.podRange.evidence})</>}
      </p>
      <table>
        <thead><tr><th>Node</th><th>Pod subnets</th><th>Docker subnets</th><th>Tunnels</th><th>Underlay</th><th>Routes</th></tr></thead>
        <tbody>
          {rows.map((n) => (
            <tr key={n.node} data-node={n.node}>
              <td>{n.node}</td>
              <td>
                {n.podSubnets.map((s) => <div key={s.cidr}><span className="mono">{s.cidr}</span> <span className="muted">{s.evidence}</span></div>)}
                {n.outsideSpec.map((s) => <div key={s.cidr} className="sev-warning"><span className="mono">{s.cidr}</span> outside the spec: {s.evidence}</div>)}
                {!n.podSubnets.length && !n.outsideSpec.length && <span className="muted">none seen</span>}
              </td>
              <td>{n.dockerSubnets.map((s) => <div key={s.cidr}><span className="mono">{s.cidr}</span> <span className="muted">{s.evidence}</span></div>)}</td>
              <td>
                {n.tunnels.map((t) => (
                  <div key={t.dev} className={t.up ? undefined : "status-down"}>
                    <span className="mono">{t.dev}</span> {t.kind}{t.vni !== undefined ? ` VNI ${t.vni}` : ""}{t.port ? ` port ${t.port}` : ""}{t.local ? ` from ${t.local}` : ""} MTU {t.mtu}{t.up ? "" : " (down)"}
                  </div>
                ))}
              </td>
              <td>{n.underlay.map((u) => <div key={u.ip} className="mono">{u.ip}/{u.prefixLength} {u.dev} MTU {u.mtu}</div>)}</td>
              <td>{n.backend}{n.fabricTunnel ? ` via ${n.fabricTunnel}` : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
