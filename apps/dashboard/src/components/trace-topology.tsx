"use client";
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import type { TracePath } from "@netatlas/core";
import { api } from "../client/api";
import { traceHighlight } from "../fleet/trace-highlight";
import { TopologyView } from "./topology-view";

/**
 * The path drawn on the topology of the nodes it crosses: its namespaces,
 * bridges and tunnels lit, the deciding hop in the verdict's colour, the rest
 * dimmed. Hovering or clicking a lit element shows the rules of its hops.
 */
export function TraceTopology({ path }: { path: TracePath }) {
  const nodes = useMemo(() => [...new Set(path.hops.map((h) => h.node))], [path]);
  // One graph of all the nodes together, so the VXLAN tunnels between them are in it.
  const topology = useQuery({ queryKey: ["topology-of", nodes], queryFn: () => api.fleet.topology.query({ nodes }), enabled: nodes.length > 0 });
  const [selected, setSelected] = useState<string>();
  const highlight = useMemo(() => (topology.data ? traceHighlight(topology.data, path) : undefined), [topology.data, path]);
  if (!nodes.length) return null;
  if (topology.isError) return <p className="error" role="alert">Cannot draw the path: {topology.error.message}</p>;
  if (!topology.data || !highlight) return <p className="loading" role="status">Loading the topology of {nodes.join(", ")}…</p>;
  const graph = topology.data;
  const details = graph.elements.find((e) => e.id === selected);
  return (
    <div className="topology-wrap trace-topology">
      <div className="topology" data-testid="topology"><TopologyView graph={graph} selected={selected} onSelect={setSelected} highlight={highlight} /></div>
      <aside className="details" data-testid="details">
        {details ? (
          <>
            <h2>{details.label}</h2>
            {highlight.notes.get(details.id) ? <ul>{highlight.notes.get(details.id)?.split("\n").map((n) => <li key={n} className="mono">{n}</li>)}</ul> : <p className="muted">Not on this path.</p>}
          </>
        ) : (
          <p className="muted">{highlight.elements.size} elements on the path. Click one for the rules that moved the packet there.</p>
        )}
      </aside>
    </div>
  );
}
