"use client";
import { useQuery } from "@tanstack/react-query";
import { api } from "../../client/api";
import { FindingList } from "../../components/finding-list";
import { NodePicker, useNodeParam } from "../../components/node-picker";
import { QueryState } from "../../components/query-state";
import { ReachabilityLink } from "../../components/reachability-link";

/** All findings of the fleet (or one node), those across nodes among them, grouped by kind, each with what to do; how many node pairs fail. */
export default function FindingsPage() {
  const node = useNodeParam();
  const groups = useQuery({ queryKey: ["findings", node], queryFn: () => api.fleet.findings.query(node ? { node } : undefined), refetchInterval: 5_000 });
  return (
    <>
      <h1>Findings</h1>
      <div className="toolbar"><NodePicker /></div>
      <ReachabilityLink />
      <QueryState query={groups}>
        {(list) =>
          list.length ? (
            list.map((g) => (
              <section key={g.code} className="card">
                <h2 className={`sev-${g.severity}`}>{g.code} <span className="muted">({g.items.length})</span></h2>
                <FindingList findings={g.items} showNode />
              </section>
            ))
          ) : (
            <p className="muted">Nothing wrong found.</p>
          )
        }
      </QueryState>
    </>
  );
}
