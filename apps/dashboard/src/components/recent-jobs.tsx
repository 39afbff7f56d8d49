"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { api } from "../client/api";
import { QueryState } from "./query-state";

/** The newest apply jobs, each linking to its progress and its plans. */
export function RecentJobs() {
  const jobs = useQuery({ queryKey: ["jobs"], queryFn: () => api.reconcile.jobs.query(), refetchInterval: 5_000 });
  return (
    <details className="card">
      <summary>Recent apply jobs</summary>
      <QueryState query={jobs}>
        {(list) =>
          list.length ? (
            <table>
              <thead><tr><th>Job</th><th>Started</th><th>By</th><th>Status</th><th>Nodes</th><th>Outcome</th></tr></thead>
              <tbody>
                {list.map((j) => (
                  <tr key={j.id}>
                    <td><Link href={`/plans?set=${j.planSetId}&job=${j.id}`}>{j.id}</Link></td>
                    <td className="mono">{new Date(j.startedAt).toLocaleString()}</td>
                    <td>{j.author}</td>
                    <td className={j.status === "succeeded" ? "status-up" : j.status === "running" ? "status-stale" : "status-down"}>{j.status}</td>
                    <td>{j.progress.nodes.map((n) => n.node).join(", ")}</td>
                    <td>{j.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">No apply yet.</p>
          )
        }
      </QueryState>
    </details>
  );
}
