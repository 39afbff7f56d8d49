import type { NodeSnapshot } from "@netatlas/core";

export function HostFacts({ snapshot }: { snapshot: NodeSnapshot }) {
  const i = snapshot.info;
  const facts: [string, string][] = [
    ["Hostname", i.hostname],
    ["OS", i.os],
    ["Kernel", i.kernel],
    ["Arch", i.arch],
    ["CPUs", String(i.cpus)],
    ["Memory", `${(i.memoryBytes / 2 ** 30).toFixed(1)} GiB`],
    ["Reader", snapshot.reader],
    ["Collected", new Date(snapshot.collectedAt).toLocaleString()],
  ];
  return (
    <div className="card grid">
      {facts.map(([k, v]) => (
        <div key={k}><div className="muted">{k}</div><div>{v}</div></div>
      ))}
    </div>
  );
}
