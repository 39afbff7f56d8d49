"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { api } from "../../client/api";
import { FindingList } from "../../components/finding-list";
import { NodePicker, useNodeParam } from "../../components/node-picker";
import { QueryState } from "../../components/query-state";
import type { FleetFinding } from "../../fleet/aggregate";
import type { DockerPageData } from "../../fleet/docker-page";

/** Docker networks across hosts: network × host, each cell the host's subnet, gateway and containers. */
function AcrossHosts({ table: { hosts, rows } }: { table: DockerPageData["acrossHosts"] }) {
  if (!rows.length) return null;
  return (
    <section className="card" data-testid="docker-across-hosts">
      <h2>Across hosts</h2>
      <table>
        <thead><tr><th>Network</th>{hosts.map((h) => <th key={h}><Link href={`/nodes/${encodeURIComponent(h)}`}>{h}</Link></th>)}</tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.network} data-row={r.network}>
              <td><a href={`#${r.network}`}>{r.network}</a>{r.sharedOn.length ? <div className="sev-warning">same subnet on {r.sharedOn.join(", ")}</div> : null}</td>
              {hosts.map((h) => {
                const cell = r.cells[h];
                if (!cell) return <td key={h} className="muted">—</td>;
                return (
                  <td key={h} data-host={h}>
                    <span className="mono">{cell.subnet ?? "no subnet"}{cell.gateway ? ` gw ${cell.gateway}` : ""}</span>
                    <div className="muted">{cell.containers.map((c) => `${c.name}${c.ipv4 ? ` ${c.ipv4}` : ""}`).join(", ") || "no containers"}</div>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** What is wrong across the Docker hosts together (shared subnets, one IP on two hosts, ports, orphaned joins). */
function FleetDockerFindings({ findings }: { findings: FleetFinding[] }) {
  return (
    <section className="card" data-testid="docker-fleet-findings">
      <h2>Across the fleet</h2>
      <FindingList findings={findings} />
    </section>
  );
}

/** Docker networks per node or across the fleet, joined to the kernel's bridges and veths. */
export default function DockerPage() {
  const node = useNodeParam();
  const docker = useQuery({ queryKey: ["docker", node], queryFn: () => api.fleet.docker.query(node ? { node } : undefined), refetchInterval: 5_000 });
  return (
    <>
      <h1>Docker networks</h1>
      <div className="toolbar"><NodePicker /></div>
      <QueryState query={docker}>
        {({ views, acrossHosts, fleetFindings }) => {
          if (!views.length) return <p className="muted">No Docker networks {node ? `on ${node}` : "in the fleet"} (no Docker daemon found by the agents).</p>;
          return <>
            <AcrossHosts table={acrossHosts} />
            {fleetFindings && <FleetDockerFindings findings={fleetFindings} />}
            {views.map((v) => (
            <section key={`${v.node}/${v.network.id}`} id={v.network.name} className="card" data-network={v.network.name}>
              <h2>{v.network.name} <span className="muted">on <Link href={`/nodes/${encodeURIComponent(v.node)}`}>{v.node}</Link> · {v.network.driver} · {v.network.scope}{v.network.internal ? " · internal" : ""}</span></h2>
              <p className="mono">
                id {v.network.id} · subnets {v.network.subnets.map((s) => `${s.subnet}${s.gateway ? ` gw ${s.gateway}` : ""}`).join(", ") || "none"}
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
          ))}
          </>;
        }}
      </QueryState>
    </>
  );
}
