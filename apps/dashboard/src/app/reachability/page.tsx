"use client";
import { useQuery } from "@tanstack/react-query";
import { useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { api } from "../../client/api";
import { useRole } from "../../client/use-role";
import { FabricTable } from "../../components/fabric-table";
import { QueryState } from "../../components/query-state";
import { ReachabilityHeatmap } from "../../components/reachability-heatmap";
import { ReachabilityPair } from "../../components/reachability-pair";
import { ReachabilityVerify } from "../../components/reachability-verify";
import type { CellVerification } from "../../fleet/cell-verification";
import { cellState, gridView, LEGEND, MARK_COLOUR, pairKey, STATE_COLOUR, type Pair } from "../../fleet/reachability-view";

/** A list a person reads: the first failing pairs, the heat map shows the rest. */
const MOST_LISTED = 100;

/**
 * Whether each node's pods reach each other node's (and the replies come back), from
 * the snapshots: the matrix as a heat map, a filter on node names, a pair's trace on a
 * click, real probes (admin), and the fabric the matrix was checked on. Filter and pair live in the URL.
 */
export default function ReachabilityPage() {
  const params = useSearchParams();
  const router = useRouter();
  const role = useRole();
  const q = params.get("q") ?? "";
  const onlyFailing = params.get("failing") === "1";
  const from = params.get("from");
  const to = params.get("to");
  const selected = from && to ? { from, to } : undefined;
  const grid = useQuery({ queryKey: ["reachability-grid"], queryFn: () => api.reachability.grid.query(), refetchInterval: (query) => query.state.data?.pollIntervalMs ?? 3_000 });
  const fabric = useQuery({ queryKey: ["reachability-fabric"], queryFn: () => api.reachability.fabric.query(), refetchInterval: 10_000 });
  const [verifications, setVerifications] = useState<ReadonlyMap<string, CellVerification>>(new Map());
  const view = useMemo(() => (grid.data ? gridView(grid.data, q, onlyFailing) : undefined), [grid.data, q, onlyFailing]);
  const setParams = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    router.replace(`/reachability?${next.toString()}`, { scroll: false });
  };
  const choose = ({ from, to }: Pair) => setParams({ from, to });
  const verified = (results: CellVerification[]) =>
    setVerifications((old) => {
      const next = new Map(old);
      for (const r of results) next.set(pairKey(r.from, r.to), r);
      return next;
    });
  return (
    <>
      <h1>Reachability</h1>
      <div className="toolbar">
        <input placeholder="Filter nodes: node1 web…" aria-label="Filter nodes" value={q} onChange={(e) => setParams({ q: e.target.value })} />
        <label><input type="checkbox" checked={onlyFailing} onChange={(e) => setParams({ failing: e.target.checked ? "1" : undefined })} /> only nodes with failing pairs</label>
        <span className="legend">
          {LEGEND.map((l) => <span key={l.state}><i style={{ background: STATE_COLOUR[l.state] }} /> {l.label}</span>)}
          <span><i style={{ background: STATE_COLOUR.delivered, boxShadow: `inset 0 0 0 4px ${STATE_COLOUR.delivered}, inset 0 0 0 8px ${MARK_COLOUR.agree}` }} /> probed, agrees</span>
          <span><i style={{ background: MARK_COLOUR.disagree }} /> probe disagrees</span>
        </span>
      </div>
      <QueryState query={grid}>
        {(data) => {
          if (!view) return null;
          const listed = data.problems.filter((p) => view.nodes.includes(data.nodes[p.from]!) && view.nodes.includes(data.nodes[p.to]!));
          const row = (name: string) => view.nodes.indexOf(name);
          return (
            <>
              <p data-testid="reachability-summary">
                <strong className={data.summary.failed ? "status-down" : "status-up"}>{data.summary.failed} of {data.summary.pairs} node pairs fail</strong>
                {data.summary.uncertain > 0 && `, ${data.summary.uncertain} uncertain`}
                {data.summary.noEndpoint > 0 && `, ${data.summary.noEndpoint} without an endpoint`}
                <span className="muted"> · {data.nodes.length} nodes, {view.nodes.length} shown · traced ICMP between one pod (or container) of each node and one of the other, the reply included</span>
              </p>
              <ReachabilityHeatmap view={view} verifications={verifications} selected={selected} onSelect={(from, to) => choose({ from, to })} />
              {role === "admin" && <ReachabilityVerify view={view} selected={selected} verifications={verifications} onVerified={verified} />}
              {selected && <ReachabilityPair key={`${selected.from}>${selected.to}`} from={selected.from} to={selected.to} verification={verifications.get(pairKey(selected.from, selected.to))} version={data.version} />}
              {listed.length > 0 && (
                <section className="card">
                  <h2>Pairs that do not deliver <span className="muted">({listed.length}{listed.length > MOST_LISTED ? `, the first ${MOST_LISTED} listed` : ""})</span></h2>
                  <table data-testid="problem-pairs">
                    <thead><tr><th>From</th><th>To</th><th>State</th><th></th></tr></thead>
                    <tbody>
                      {listed.slice(0, MOST_LISTED).map((p) => {
                        const [f, t] = [data.nodes[p.from]!, data.nodes[p.to]!];
                        const state = view.stateAt(row(f), row(t));
                        return (
                          <tr key={`${f}>${t}`} data-pair={`${f}>${t}`} data-state={state} className={selected?.from === f && selected.to === t ? "decided" : undefined}>
                            <td>{f}</td>
                            <td>{t}</td>
                            <td className="pre-line">{cellState(view, row(f), row(t), verifications.get(pairKey(f, t)))}</td>
                            <td><button className="link" onClick={() => choose({ from: f, to: t })}>trace</button></td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </section>
              )}
            </>
          );
        }}
      </QueryState>
      {fabric.data && view && <FabricTable fabric={fabric.data} nodes={view.nodes} />}
    </>
  );
}
