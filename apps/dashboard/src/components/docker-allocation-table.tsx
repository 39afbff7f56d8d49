"use client";
import type { DockerAllocation } from "@netatlas/core";

/** Each Docker network's subnet on each host; a subnet that differs from the saved version's is marked. */
export function DockerAllocationTable({ allocation, saved }: { allocation: DockerAllocation; saved?: DockerAllocation }) {
  const rows = Object.entries(allocation).flatMap(([network, hosts]) => Object.entries(hosts).map(([host, subnet]) => ({ network, host, subnet, before: saved?.[network]?.[host] })));
  return (
    <table data-testid="docker-allocation">
      <thead><tr><th>Docker network</th><th>Host</th><th>Subnet</th><th /></tr></thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.network}/${r.host}`}>
            <td>{r.network}</td><td>{r.host}</td><td className="mono">{r.subnet}</td>
            <td className="muted">{!saved ? "" : !r.before ? "new" : r.before !== r.subnet ? `was ${r.before}` : "unchanged"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
