"use client";
import { useQueries } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import type { NodeSnapshot, TracePath } from "@netatlas/core";
import { api } from "../client/api";
import { topologyGraph } from "../fleet/topology-graph";
import { traceHighlight } from "../fleet/trace-highlight";
import { TopologyView } from "./topology-view";

/**
 * The path drawn on the topology of the nodes it crosses: its namespaces,
 * bridges and tunnels lit, the deciding hop in the verdict's colour, the rest
 * dimmed. Hovering or clicking a lit element shows the rules of its hops.
 */
export function TraceTopology({ path }: { path: TracePath }) {
  const nodes = useMemo(() => [...new Set(path.hops.map((h) => h.node))], [path]);
  const queries = useQueries({ queries: nodes.map((node) => ({ queryKey: ["topology", node], queryFn: () => api.fleet.snapshots.query({ node }) })) });
  const [selected, setSelected] = useState<string>();
  const ready = queries.every((q) => q.isSuccess);
  // useQueries returns a new array each render; the graph is rebuilt only when a result was.
  const fetchedAt = queries.map((q) => q.dataUpdatedAt).join();
  const graph = useMemo(
    // Named by the snapshot's own node name, as the trace's hops are.
    () => topologyGraph(queries.flatMap((q) => (q.data ?? []).flatMap((r) => (r.snapshot ? [{ name: (r.snapshot as NodeSnapshot).node, snapshot: r.snapshot as NodeSnapshot }] : [])))),
    [fetchedAt],
  );
  const highlight = useMemo(() => traceHighlight(graph, path), [graph, path]);
  if (!nodes.length) return null;
  const failed = queries.find((q) => q.isError);
  if (failed?.error) return <p className="error" role="alert">Cannot draw the path: {failed.error.message}</p>;
  if (!ready) return <p className="loading" role="status">Loading the topology of {nodes.join(", ")}…</p>;
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
