"use client";
import type { Allocation } from "@netatlas/core";

/** Which pod subnet each node gets; a node whose subnet differs from the saved version's is marked. */
export function AllocationTable({ allocation, saved }: { allocation: Allocation; saved?: Allocation }) {
  const names = Object.keys(allocation).sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  return (
    <table data-testid="allocation">
      <thead><tr><th>Node</th><th>Pod subnet</th><th>Gateway (bridge address)</th><th /></tr></thead>
      <tbody>
        {names.map((n) => {
          const subnet = allocation[n] as string;
          const [base = "", prefix] = subnet.split("/");
          const gateway = base.replace(/\d+$/, (last) => String(Number(last) + 1));
          const before = saved?.[n];
          return (
            <tr key={n} data-node={n}>
              <td>{n}</td><td className="mono">{subnet}</td><td className="mono">{gateway}/{prefix}</td>
              <td className="muted">{!saved ? "" : !before ? "new node" : before !== subnet ? `was ${before}` : "unchanged"}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
