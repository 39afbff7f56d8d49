"use client";
import { displayName, explainLink, LinkIndex, NETATLAS_ROUTE_PROTOCOL, netnsLabel, routeLine, type NodeSnapshot } from "@netatlas/core";
import { useMemo } from "react";

function useNsLabel(snapshot: NodeSnapshot) {
  return useMemo(() => {
    const names = new Map(snapshot.namespaces.map((n) => [n.id, netnsLabel(n)]));
    return (id: number) => names.get(id) ?? `netns:${id}`;
  }, [snapshot]);
}

/** Links with their peers explained (`eth0@if45` is interface 45 in another namespace). */
export function LinksTable({ snapshot, filter }: { snapshot: NodeSnapshot; filter: string }) {
  const index = useMemo(() => new LinkIndex(snapshot.links), [snapshot]);
  const ns = useNsLabel(snapshot);
  const links = snapshot.links.filter((l) => !filter || `${l.name} ${ns(l.netns)} ${l.kind}`.toLowerCase().includes(filter));
  return (
    <table>
      <thead><tr><th>Namespace</th><th>Link</th><th>Kind</th><th>State</th><th>MTU</th><th>MAC</th><th>What it is</th></tr></thead>
      <tbody>
        {links.map((l) => (
          <tr key={`${l.netns}/${l.ifindex}`}>
            <td>{ns(l.netns)}</td>
            <td className="mono">{l.ifindex}: {displayName(l, index)}</td>
            <td>{l.driver ?? l.kind}</td>
            <td>{l.state}</td>
            <td>{l.mtu}</td>
            <td className="mono">{l.mac}</td>
            <td>{explainLink(l, index, snapshot.namespaces)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function AddressesTable({ snapshot, filter }: { snapshot: NodeSnapshot; filter: string }) {
  const ns = useNsLabel(snapshot);
  const rows = snapshot.addresses.filter((a) => !filter || `${a.address} ${a.ifname} ${ns(a.netns)}`.toLowerCase().includes(filter));
  return (
    <table>
      <thead><tr><th>Namespace</th><th>Interface</th><th>Address</th><th>Scope</th></tr></thead>
      <tbody>{rows.map((a) => <tr key={`${a.netns}/${a.ifindex}/${a.address}/${a.prefixLength}`}><td>{ns(a.netns)}</td><td>{a.ifname}</td><td className="mono">{a.address}/{a.prefixLength}</td><td>{a.scope}</td></tr>)}</tbody>
    </table>
  );
}

/** Routes as `ip route` prints them; netatlas's own (proto 157) stand out. */
export function RoutesTable({ snapshot, filter }: { snapshot: NodeSnapshot; filter: string }) {
  const ns = useNsLabel(snapshot);
  const rows = snapshot.routes.filter((r) => r.table !== "local" && (!filter || `${routeLine(r)} ${ns(r.netns)}`.toLowerCase().includes(filter)));
  return (
    <table>
      <thead><tr><th>Namespace</th><th>Route</th><th>Owner</th></tr></thead>
      <tbody>
        {rows.map((r, i) => {
          const ours = r.protocol === NETATLAS_ROUTE_PROTOCOL;
          return <tr key={i}><td>{ns(r.netns)}</td><td className={`mono ${ours ? "ours" : ""}`}>{routeLine(r)}</td><td>{ours ? <span className="ours">netatlas</span> : <span className="muted">{r.protocol}</span>}</td></tr>;
        })}
      </tbody>
    </table>
  );
}

export function NeighborsTable({ snapshot, filter }: { snapshot: NodeSnapshot; filter: string }) {
  const ns = useNsLabel(snapshot);
  const rows = snapshot.neighbors.filter((n) => !filter || `${n.address} ${n.dev} ${ns(n.netns)}`.toLowerCase().includes(filter));
  return (
    <table>
      <thead><tr><th>Namespace</th><th>Address</th><th>Device</th><th>MAC</th><th>State</th></tr></thead>
      <tbody>{rows.map((n) => <tr key={`${n.netns}/${n.dev}/${n.address}`}><td>{ns(n.netns)}</td><td className="mono">{n.address}</td><td>{n.dev}</td><td className="mono">{n.lladdr}</td><td>{n.state.join(" ")}</td></tr>)}</tbody>
    </table>
  );
}

export function NatTable({ snapshot, filter }: { snapshot: NodeSnapshot; filter: string }) {
  const ns = useNsLabel(snapshot);
  const rows = snapshot.nat.filter((r) => !filter || `${r.text} ${r.chain} ${ns(r.netns)}`.toLowerCase().includes(filter));
  return (
    <table>
      <thead><tr><th>Namespace</th><th>Table / chain</th><th>Rule</th></tr></thead>
      <tbody>{rows.map((r, i) => <tr key={i}><td>{ns(r.netns)}</td><td className="mono">{r.family} {r.table} / {r.chain}{r.hook ? ` (${r.hook})` : ""}</td><td className="mono">{r.text}{r.partial && <span className="muted"> (partly understood)</span>}</td></tr>)}</tbody>
    </table>
  );
}
