"use client";
import { useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { api } from "../../client/api";
import { NodePicker, useNodeParam } from "../../components/node-picker";
import { QueryState } from "../../components/query-state";
import { TopologyView } from "../../components/topology-view";
import { preloadWebgl } from "../../components/topology-webgl";
import type { TopologyGraph } from "@netatlas/core";

const EMPTY: TopologyGraph = { elements: [], edges: [] };

/** The graph of one node or the fleet; ?focus=pod:ns/name (or any element's search text) centres on it. */
export default function TopologyPage() {
  const node = useNodeParam();
  const params = useSearchParams();
  const router = useRouter();
  const path = usePathname();
  const focusParam = params.get("focus") ?? "";
  const [search, setSearch] = useState(focusParam.replace(/^pod:/, ""));
  const [selected, setSelected] = useState<string>();
  // The WebGL view's code loads while the graph is fetched (a large graph needs it at once).
  useEffect(() => void preloadWebgl(), []);
  // Fetched once per choice of node (no polling): a moving layout helps no one.
  const topology = useQuery({ queryKey: ["topology", node], queryFn: () => api.fleet.topology.query(node ? { nodes: [node] } : undefined) });
  const graph = topology.data ?? EMPTY;
  const focus = useMemo(() => {
    const q = (focusParam.startsWith("pod:") ? `pod ${focusParam.slice(4)}` : focusParam).toLowerCase();
    return q ? graph.elements.find((e) => e.search.includes(q))?.id : undefined;
  }, [graph, focusParam]);
  const details = graph.elements.find((e) => e.id === (selected ?? focus));
  return (
    <>
      <h1>Topology</h1>
      <form className="toolbar" onSubmit={(e) => { e.preventDefault(); const next = new URLSearchParams(params); if (search) next.set("focus", search); else next.delete("focus"); router.replace(`${path}?${next.toString()}`); }}>
        <NodePicker />
        <input placeholder="Find a pod, container, bridge, IP…" aria-label="Find" value={search} onChange={(e) => setSearch(e.target.value)} />
        <button type="submit">Focus</button>
        <span className="muted">{graph.elements.length} elements, {graph.edges.length} connections</span>
        {focusParam && !focus && topology.isSuccess && <span className="field-error" role="alert">find: nothing matches “{focusParam}”</span>}
      </form>
      <QueryState query={topology}>
        {() => (
          <div className="topology-wrap">
            <div className="topology" data-testid="topology"><TopologyView graph={graph} focus={focus} selected={selected} onSelect={setSelected} /></div>
            <aside className="details" data-testid="details">
              {details ? (
                <>
                  <h2>{details.label}</h2>
                  <table><tbody>{Object.entries(details.details).filter(([, v]) => v).map(([k, v]) => <tr key={k}><th>{k}</th><td className="mono">{v}</td></tr>)}</tbody></table>
                  {details.lines.length > 0 && <ul>{details.lines.map((l) => <li key={l} className="mono">{l}</li>)}</ul>}
                </>
              ) : (
                <p className="muted">Click an element for its details.</p>
              )}
            </aside>
          </div>
        )}
      </QueryState>
    </>
  );
}
