"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { api } from "../../client/api";
import { NodePicker, useNodeParam } from "../../components/node-picker";
import { QueryState } from "../../components/query-state";
import { dockerNetworkViews } from "../../fleet/docker-view";

/** Docker networks per node or across the fleet, joined to the kernel's bridges and veths. */
export default function DockerPage() {
  const node = useNodeParam();
  const snapshots = useQuery({ queryKey: ["snapshots", node], queryFn: () => api.fleet.snapshots.query(node ? { node } : undefined), refetchInterval: 5_000 });
  return (
    <>
      <h1>Docker networks</h1>
      <div className="toolbar"><NodePicker /></div>
      <QueryState query={snapshots}>
        {(list) => {
          const views = list.flatMap((n) => (n.snapshot ? dockerNetworkViews(n.name, n.snapshot) : []));
          if (!views.length) return <p className="muted">No Docker networks {node ? `on ${node}` : "in the fleet"} (no Docker daemon found by the agents).</p>;
          return views.map((v) => (
            <section key={`${v.node}/${v.network.id}`} id={v.network.name} className="card" data-network={v.network.name}>
              <h2>{v.network.name} <span className="muted">on <Link href={`/nodes/${encodeURIComponent(v.node)}`}>{v.node}</Link> · {v.network.driver} · {v.network.scope}{v.network.internal ? " · internal" : ""}</span></h2>
              <p className="mono">
                id {v.network.id.slice(0, 12)} · subnets {v.network.subnets.map((s) => `${s.subnet}${s.gateway ? ` gw ${s.gateway}` : ""}`).join(", ") || "none"}
                {v.network.mtu ? ` · mtu ${v.network.mtu}` : ""}{v.network.masquerade !== undefined ? ` · masquerade ${v.network.masquerade ? "on" : "off"}` : ""}{v.network.icc !== undefined ? ` · icc ${v.network.icc ? "on" : "off"}` : ""}
              </p>
              {v.bridge ? (
                <p>Kernel: bridge <code>{v.bridge.name}</code> {v.bridge.state}, mtu {v.bridge.mtu}, {v.bridge.addresses.join(", ") || "no address"}; ports: {v.bridge.ports.map((p) => `${p.name}${p.peer ? ` ↔ ${p.peer}` : ""}`).join("; ") || "none"}</p>
              ) : (
                v.network.bridge && <p className="sev-warning">Kernel: no bridge {v.network.bridge} found in the host namespace.</p>
              )}
              <table>
                <thead><tr><th>Container</th><th>ID</th><th>IPv4</th><th>MAC</th><th>State</th></tr></thead>
                <tbody>{v.containers.map((c) => <tr key={c.id}><td>{c.name}</td><td className="mono">{c.id}</td><td className="mono">{c.ipv4}</td><td className="mono">{c.mac}</td><td>{c.state ?? "?"}{c.pid ? ` (pid ${c.pid})` : ""}</td></tr>)}</tbody>
              </table>
            </section>
          ));
        }}
      </QueryState>
    </>
  );
}
