"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useParams } from "next/navigation";
import { useState } from "react";
import { api } from "../../../client/api";
import { EventStream } from "../../../components/event-stream";
import { FindingList } from "../../../components/finding-list";
import { HostFacts } from "../../../components/host-facts";
import { NamespaceList } from "../../../components/namespace-list";
import { AddressesTable, LinksTable, NatTable, NeighborsTable, RoutesTable } from "../../../components/node-tables";
import { NodeStatusBadge } from "../../../components/node-status";
import { QueryState } from "../../../components/query-state";

/** One node: its namespaces, links, addresses, routes, neighbours, NAT, host facts, findings and live events. */
export default function NodePage() {
  const name = decodeURIComponent(useParams<{ name: string }>().name);
  const node = useQuery({ queryKey: ["node", name], queryFn: () => api.node.get.query({ name }), refetchInterval: 5_000 });
  const [filter, setFilter] = useState("");
  const f = filter.toLowerCase();
  return (
    <>
      <h1>Node {name}</h1>
      <QueryState query={node}>
        {({ row, snapshot, findings }) => (
          <>
            <p>
              <NodeStatusBadge status={row.status} snapshotAgeMs={row.snapshotAgeMs} lastError={row.lastError} /> · <span className="mono">{row.url}</span> ·{" "}
              <Link href={`/topology?node=${encodeURIComponent(name)}`}>topology</Link> · <Link href={`/docker?node=${encodeURIComponent(name)}`}>Docker networks</Link> ·{" "}
              <Link href={`/pods?node=${encodeURIComponent(name)}`}>pods</Link> · <Link href={`/history?node=${encodeURIComponent(name)}`}>history</Link>
            </p>
            {!snapshot ? (
              <p className="error">No snapshot yet: {row.lastError ?? "waiting for the first answer from the agent"}</p>
            ) : (
              <>
                <HostFacts snapshot={snapshot} />
                <h2>Findings</h2>
                <FindingList findings={findings.map((x) => ({ ...x, node: name }))} />
                <div className="toolbar"><input placeholder="Filter tables (name, address, namespace)…" aria-label="Filter" value={filter} onChange={(e) => setFilter(e.target.value)} /></div>
                <h2>Namespaces</h2>
                <NamespaceList snapshot={snapshot} />
                <h2>Links</h2>
                <LinksTable snapshot={snapshot} filter={f} />
                <h2>Addresses</h2>
                <AddressesTable snapshot={snapshot} filter={f} />
                <h2>Routes</h2>
                <RoutesTable snapshot={snapshot} filter={f} />
                <h2>Neighbours</h2>
                <NeighborsTable snapshot={snapshot} filter={f} />
                <h2>NAT rules</h2>
                <NatTable snapshot={snapshot} filter={f} />
                {snapshot.warnings.length > 0 && (<><h2>Read warnings</h2><ul>{snapshot.warnings.map((w) => <li key={w}>{w}</li>)}</ul></>)}
              </>
            )}
            <h2>Live events</h2>
            <EventStream node={name} />
          </>
        )}
      </QueryState>
    </>
  );
}
