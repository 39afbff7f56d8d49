import { podKey, type NodeSnapshot } from "@netatlas/core";
import { groupNamespaces } from "../fleet/namespace-groups";

/** Namespaces grouped host, Docker, CNI, named, orphaned (no process holds them). */
export function NamespaceList({ snapshot }: { snapshot: NodeSnapshot }) {
  const owner = (netns: number) => {
    const pod = snapshot.pods.find((p) => p.netns === netns);
    if (pod) return `pod ${podKey(pod)}`;
    const containers = snapshot.containers.filter((c) => c.netns === netns);
    return containers.length ? `container ${containers.map((c) => c.name).join(", ")}` : undefined;
  };
  return (
    <table>
      <thead><tr><th>Group</th><th>Namespace</th><th>Inode</th><th>Links</th><th>Processes</th><th>Forwarding</th></tr></thead>
      <tbody>
        {groupNamespaces(snapshot).flatMap((g) =>
          g.namespaces.map((ns) => (
            <tr key={ns.id}>
              <td className={g.group === "orphaned" ? "sev-warning" : ""}>{g.group}</td>
              <td>{owner(ns.id) ?? ns.label}{owner(ns.id) && <div className="muted mono">{ns.label}</div>}</td>
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
