import type { NodeSnapshot } from "@netatlas/core";
import { groupNamespaces } from "../fleet/namespace-groups";

/** Namespaces grouped host, Docker, CNI, named, orphaned (no process holds them). */
export function NamespaceList({ snapshot }: { snapshot: NodeSnapshot }) {
  return (
    <table>
      <thead><tr><th>Group</th><th>Namespace</th><th>Inode</th><th>Links</th><th>Processes</th><th>Forwarding</th></tr></thead>
      <tbody>
        {groupNamespaces(snapshot).flatMap((g) =>
          g.namespaces.map((ns) => (
            <tr key={ns.id}>
              <td className={g.group === "orphaned" ? "sev-warning" : ""}>{g.group}</td>
              <td>{ns.label}</td>
              <td className="mono">{ns.id}</td>
              <td>{ns.links}</td>
              <td className="mono">{ns.processes.slice(0, 4).map((p) => `${p.comm}(${p.pid})`).join(" ")}{ns.processes.length > 4 ? ` +${ns.processes.length - 4}` : ""}</td>
              <td>{ns.ipForward === undefined ? "" : ns.ipForward ? "on" : "off"}</td>
            </tr>
          )),
        )}
      </tbody>
    </table>
  );
}
