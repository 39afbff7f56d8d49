"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { api } from "../../client/api";
import { NodePicker, useNodeParam } from "../../components/node-picker";
import { QueryState } from "../../components/query-state";

/** Pods of a node or the fleet: IP, node, whether the sandbox holder lives, containers. */
export default function PodsPage() {
  const node = useNodeParam();
  const pods = useQuery({ queryKey: ["pods", node], queryFn: () => api.fleet.pods.query(node ? { node } : undefined), refetchInterval: 5_000 });
  const [q, setQ] = useState("");
  return (
    <>
      <h1>Pods</h1>
      <div className="toolbar"><NodePicker /><input placeholder="Search pod, IP…" aria-label="Search" value={q} onChange={(e) => setQ(e.target.value)} /></div>
      <QueryState query={pods}>
        {(list) => {
          const rows = list.filter((p) => !q || `${p.key} ${p.ips.join(" ")}`.toLowerCase().includes(q.toLowerCase()));
          return (
            <table>
              <thead><tr><th>Pod</th><th>IPs</th><th>Node</th><th>Sandbox holder</th><th>Containers</th><th></th></tr></thead>
              <tbody>
                {rows.map((p) => (
                  <tr key={`${p.node}/${p.key}`}>
                    <td>{p.key}</td>
                    <td className="mono">{p.ips.join(", ")}</td>
                    <td><Link href={`/nodes/${encodeURIComponent(p.node)}`}>{p.node}</Link></td>
                    <td className={p.alive ? "status-up" : "status-down"}>{p.alive ? "alive" : "dead"}{p.holderPid ? ` (pid ${p.holderPid})` : ""}</td>
                    <td className="mono">{p.containers.map((c) => `${c.name}${c.pid ? `(${c.pid})` : ""}`).join(", ")}</td>
                    <td><Link href={`/topology?node=${encodeURIComponent(p.node)}&focus=${encodeURIComponent(`pod:${p.key}`)}`}>topology</Link></td>
                  </tr>
                ))}
                {!rows.length && <tr><td colSpan={6} className="muted">No pods.</td></tr>}
              </tbody>
            </table>
          );
        }}
      </QueryState>
    </>
  );
}
