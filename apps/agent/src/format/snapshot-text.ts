import { LinkIndex, addressCidr, displayName, netnsLabel, routeLine, type Finding, type Link, type NodeSnapshot } from "@netatlas/core";

const GIB = 1024 ** 3;

function peerText(link: Link, index: LinkIndex, snapshot: NodeSnapshot): string {
  const peer = index.peerOf(link);
  if (!peer) return link.kind === "veth" && link.linkIndex ? "peer not visible" : "";
  const ns = snapshot.namespaces.find((n) => n.id === peer.netns);
  const where = peer.netns === link.netns ? "" : ` in ${ns ? netnsLabel(ns) : peer.netns}`;
  const bridge = index.masterOf(peer);
  return `peer ${peer.name}${where}${bridge ? ` (on ${bridge.name})` : ""}`;
}

function linkLine(link: Link, index: LinkIndex, snapshot: NodeSnapshot): string {
  const addrs = snapshot.addresses.filter((a) => a.netns === link.netns && a.ifindex === link.ifindex && a.scope !== "link").map(addressCidr);
  const master = index.masterOf(link);
  const extra = [
    `mtu ${link.mtu}`,
    ...addrs,
    master ? `master ${master.name}` : "",
    link.kind === "bridge" ? `ports: ${index.portsOf(link).map((p) => p.name).join(", ") || "none"}` : "",
    link.vxlan ? `vni ${link.vxlan.vni}${link.vxlan.local ? ` local ${link.vxlan.local}` : ""}` : "",
    peerText(link, index, snapshot),
  ].filter(Boolean);
  return `    ${displayName(link, index).padEnd(24)} ${(link.driver ?? link.kind).padEnd(8)} ${link.state.padEnd(8)} ${extra.join("  ")}`;
}

function findingLine(f: Finding): string {
  return `  [${f.severity}] ${f.code}: ${f.message}${f.hint ? `\n      -> ${f.hint}` : ""}`;
}

/** The snapshot as a person reads it: namespaces with their links, addresses and routes, then findings. */
export function formatSnapshot(snapshot: NodeSnapshot, findings: Finding[], elapsedMs: number): string {
  const { info } = snapshot;
  const index = new LinkIndex(snapshot.links);
  const out: string[] = [
    `node ${snapshot.node} — ${info.os}, kernel ${info.kernel}, ${info.cpus} CPUs, ${(info.memoryBytes / GIB).toFixed(1)} GiB — read by ${snapshot.reader} in ${elapsedMs.toFixed(0)} ms`,
    "",
    `NAMESPACES (${snapshot.namespaces.length})`,
  ];
  const order = { host: 0, cni: 1, docker: 2, named: 3, unknown: 4 };
  for (const ns of [...snapshot.namespaces].sort((a, b) => order[a.kind] - order[b.kind] || netnsLabel(a).localeCompare(netnsLabel(b)))) {
    const procs = ns.processes.slice(0, 4).map((p) => `${p.pid} ${p.comm}`).join(", ");
    const more = ns.processes.length > 4 ? ` +${ns.processes.length - 4}` : "";
    out.push(`  ${netnsLabel(ns)} [${ns.kind}] inode ${ns.id}${ns.ipForward ? " forwarding" : ""} — ${ns.processes.length ? `processes: ${procs}${more}` : "no process"}`);
    for (const link of snapshot.links.filter((l) => l.netns === ns.id)) out.push(linkLine(link, index, snapshot));
    const routes = snapshot.routes.filter((r) => r.netns === ns.id && r.table !== "local");
    if (routes.length) out.push("    routes:", ...routes.map((r) => `      ${routeLine(r)}`));
    const nat = snapshot.nat.filter((r) => r.netns === ns.id && r.action !== "jump");
    if (nat.length) out.push("    nat:", ...nat.map((r) => `      ${r.table}/${r.chain}: ${r.text}`));
  }
  if (snapshot.pods.length) {
    out.push("", `PODS (${snapshot.pods.length})`);
    for (const p of snapshot.pods) out.push(`  ${p.namespace}/${p.name} ${p.ips.join(", ")} sandbox ${p.sandbox.pid ?? "?"} ${p.sandbox.alive ? "alive" : "DEAD"} containers: ${p.containers.map((c) => c.name).join(", ") || "none"}`);
  }
  if (snapshot.containers.length) {
    out.push("", `CONTAINERS (${snapshot.containers.length})`);
    for (const c of snapshot.containers) out.push(`  ${c.name} ${c.id.slice(0, 12)} ${c.state} network ${c.networkMode} ${c.endpoints.map((e) => e.ipv4).filter(Boolean).join(", ")}`);
  }
  out.push("", `FINDINGS (${findings.length})`, ...(findings.length ? findings.map(findingLine) : ["  none"]));
  if (snapshot.warnings.length) out.push("", `WARNINGS (${snapshot.warnings.length})`, ...snapshot.warnings.map((w) => `  ${w}`));
  return `${out.join("\n")}\n`;
}
