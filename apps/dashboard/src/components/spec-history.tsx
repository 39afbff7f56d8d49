"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { api } from "../client/api";
import { QueryState } from "./query-state";
import { SpecChanges } from "./spec-changes";

/** Every saved version: who, when, what changed; each opens on its own link (?version=N). */
export function SpecHistory({ current }: { current?: number }) {
  const history = useQuery({ queryKey: ["spec-history"], queryFn: () => api.spec.history.query() });
  return (
    <section className="card">
      <h2>Versions</h2>
      <QueryState query={history}>
        {(list) =>
          list.length ? (
            <table data-testid="spec-versions">
              <thead><tr><th>Version</th><th>Saved</th><th>By</th><th>What changed</th></tr></thead>
              <tbody>
                {list.map((v) => (
                  <tr key={v.version} data-version={v.version} className={v.version === current ? "decided" : ""}>
                    <td><Link href={`/spec?version=${v.version}`}>v{v.version}</Link></td>
                    <td className="mono">{new Date(v.savedAt).toLocaleString()}</td>
                    <td>{v.author}</td>
                    <td><SpecChanges changes={v.changes} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">No version saved yet.</p>
          )
        }
      </QueryState>
    </section>
  );
}
