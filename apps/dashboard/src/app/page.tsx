"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { api } from "../client/api";
import { AddNodeForm } from "../components/add-node-form";
import { DemoHints } from "../components/demo-hints";
import { NodeStatusBadge } from "../components/node-status";
import { QueryState } from "../components/query-state";
import { ReachabilityLink } from "../components/reachability-link";
import { RemoveNodeButton } from "../components/remove-node-button";
import { SeverityCounts } from "../components/severity-counts";
import { formatAge } from "@netatlas/core";

/** Every node with its status, pods, Docker networks and findings; search and status filter live in the URL. */
export default function FleetPage() {
  const params = useSearchParams();
  const router = useRouter();
  const q = params.get("q") ?? "";
  const status = params.get("status") ?? "";
  const overview = useQuery({ queryKey: ["fleet"], queryFn: () => api.fleet.overview.query(), refetchInterval: 3_000 });
  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    router.replace(`/?${next.toString()}`);
  };
  return (
    <>
      <h1>Fleet</h1>
      <DemoHints />
      <ReachabilityLink />
      <div className="toolbar">
        <input placeholder="Search nodes, networks…" aria-label="Search" value={q} onChange={(e) => setParam("q", e.target.value)} />
        <select aria-label="Status" value={status} onChange={(e) => setParam("status", e.target.value)}>
          <option value="">any status</option>
          <option value="up">up</option>
          <option value="stale">stale</option>
          <option value="down">down</option>
        </select>
      </div>
      <QueryState query={overview}>
        {(data) => {
          const rows = data.rows.filter((r) => (!status || r.status === status) && (!q || [r.name, r.url, ...r.dockerNetworks].some((s) => s.toLowerCase().includes(q.toLowerCase()))));
          return (
            <table>
              <thead>
                <tr>
                  <th>Node</th><th>Status</th><th>Pods</th><th>Containers</th><th>Docker networks</th><th>Namespaces</th><th>Findings</th><th>Last seen</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.name} data-node={r.name}>
                    <td><Link href={`/nodes/${encodeURIComponent(r.name)}`}>{r.name}</Link>{r.source === "ui" && <RemoveNodeButton name={r.name} />}<div className="muted mono">{r.url}</div></td>
                    <td><NodeStatusBadge status={r.status} snapshotAgeMs={r.snapshotAgeMs} lastError={r.lastError} /></td>
                    <td>{r.pods}{r.deadPods > 0 && <span className="sev-error"> ({r.deadPods} dead)</span>}</td>
                    <td>{r.containers}</td>
                    <td>{r.dockerNetworks.map((n) => <Link key={n} href={`/docker?node=${encodeURIComponent(r.name)}#${encodeURIComponent(n)}`}>{n} </Link>)}</td>
                    <td>{r.namespaces}</td>
                    <td><Link href={`/findings?node=${encodeURIComponent(r.name)}`}><SeverityCounts counts={r.findings} /></Link></td>
                    <td>{r.lastSeenAt ? `${formatAge(data.now - r.lastSeenAt)} ago` : "never"}</td>
                  </tr>
                ))}
                {!rows.length && <tr><td colSpan={8} className="muted">{data.rows.length ? "No node matches." : "No nodes yet: add one below or set NETATLAS_AGENTS."}</td></tr>}
              </tbody>
            </table>
          );
        }}
      </QueryState>
      <AddNodeForm />
      <p className="muted">Who changed what: the <Link href="/audit">audit log</Link>.</p>
    </>
  );
}
