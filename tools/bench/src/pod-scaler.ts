import { createHash } from "node:crypto";
import { NodeSnapshot } from "@netatlas/core";

/** The recorded objects that belong to one pod: its namespace's, its host veth's, and its CNI NAT chain's. */
function belongsToPod(snapshot: NodeSnapshot, netns: number) {
  const hostVeth = snapshot.links.find((l) => l.peer?.netns === netns);
  if (!hostVeth) throw new Error(`the recorded node ${snapshot.node} has no host veth for pod namespace ${netns}`);
  const ips = new Set(snapshot.pods.find((p) => p.netns === netns)?.ips);
  const chains = new Set(snapshot.nat.filter((r) => r.matches.some((m) => ips.has(m.value))).flatMap((r) => (r.target ? [r.target] : [])));
  const onHostVeth = (o: { netns: number; dev?: string; ifname?: string }) => o.netns === hostVeth.netns && (o.dev ?? o.ifname) === hostVeth.name;
  return {
    hostVeth,
    chains,
    test: (o: { netns: number; dev?: string; ifname?: string; chain?: string; matches?: { value: string }[] }) =>
      o.netns === netns || onHostVeth(o) || (o.chain !== undefined && chains.has(o.chain)) || !!o.matches?.some((m) => ips.has(m.value)),
  };
}

/**
 * `node` with `count` pods cloned from its first recorded pod, the others
 * dropped: each clone has its own namespace inode, veth pair on the same bridge
 * (host end `veth<hex>` with a fresh ifindex), pod name, uid, sandbox id, IP
 * (`podIp(i)`), routes, FDB entries and CNI NAT chain, as the CNI plugin would
 * have made them. MACs stay the template's.
 */
export function scalePods(node: NodeSnapshot, count: number, podIp: (i: number) => string): NodeSnapshot {
  const withNetns = node.pods.flatMap((p) => (p.netns === undefined ? [] : [{ ...p, netns: p.netns }]));
  const template = withNetns[0];
  if (!template) throw new Error(`the recorded node ${node.node} has no pod with a namespace to clone`);
  const all = withNetns.map((p) => belongsToPod(node, p.netns));
  const isPods = (o: Parameters<(typeof all)[number]["test"]>[0]) => all.some((b) => b.test(o));
  const one = belongsToPod(node, template.netns);
  const slice = JSON.stringify({
    namespaces: node.namespaces.filter((n) => n.id === template.netns),
    links: node.links.filter((l) => l.netns === template.netns || l === one.hostVeth),
    addresses: node.addresses.filter(one.test),
    routes: node.routes.filter(one.test),
    neighbors: node.neighbors.filter(one.test),
    fdb: node.fdb.filter(one.test),
    nat: node.nat.filter(one.test),
    pods: [template],
  });
  const templateIp = new RegExp(`${template.ips[0]!.replaceAll(".", "\\.")}(?![0-9])`, "g");
  const firstIfindex = Math.max(...node.links.filter((l) => l.netns === one.hostVeth.netns).map((l) => l.ifindex)) + 1;
  const firstNetns = Math.max(...node.namespaces.map((n) => n.id)) + 1;
  const scaled: NodeSnapshot = {
    ...node,
    namespaces: node.namespaces.filter((n) => !node.pods.some((p) => p.netns === n.id)),
    links: node.links.filter((l) => !node.pods.some((p) => p.netns === l.netns) && !all.some((b) => b.hostVeth === l)),
    addresses: node.addresses.filter((o) => !isPods(o)),
    routes: node.routes.filter((o) => !isPods(o)),
    neighbors: node.neighbors.filter((o) => !isPods(o)),
    fdb: node.fdb.filter((o) => !isPods(o)),
    nat: node.nat.filter((o) => !isPods(o)),
    pods: [],
  };
  // uids and sandbox ids must differ across nodes cloned from one recorded node too.
  const nodeHex = createHash("sha256").update(node.node).digest("hex").slice(0, 4);
  for (let i = 0; i < count; i++) {
    const hex = i.toString(16).padStart(8, "0");
    const netns = firstNetns + i;
    const ifindex = firstIfindex + i;
    const vethName = `veth${hex}`;
    const unique = (id: string) => `${id.slice(0, -12)}${nodeHex}${hex}`;
    const renames: [string, string][] = [
      [String(template.netns), String(netns)],
      [one.hostVeth.name, vethName],
      [template.name, `${node.node}-pod${i + 1}`],
      [template.sandbox.id, unique(template.sandbox.id)],
      ...(template.uid ? [[template.uid, unique(template.uid)] as [string, string]] : []),
      ...[...one.chains].map((chain): [string, string] => [chain, `CNI-${hex}${chain.slice(12)}`]),
    ];
    const text = renames.reduce((t, [from, to]) => t.replaceAll(from, to), slice.replace(templateIp, podIp(i)));
    const pod = JSON.parse(text) as Pick<NodeSnapshot, "namespaces" | "links" | "addresses" | "routes" | "neighbors" | "fdb" | "nat" | "pods">;
    // The host veth's ifindex is a small number, not safe to replace as text.
    for (const l of pod.links) {
      if (l.name === vethName) l.ifindex = ifindex;
      else if (l.peer?.netns === one.hostVeth.netns) l.peer.ifindex = ifindex;
      if (l.linkIndex === one.hostVeth.ifindex && l.netns === netns) l.linkIndex = ifindex;
    }
    for (const a of pod.addresses) if (a.ifname === vethName) a.ifindex = ifindex;
    for (const key of ["namespaces", "links", "addresses", "routes", "neighbors", "fdb", "nat", "pods"] as const) (scaled[key] as unknown[]).push(...pod[key]);
  }
  return NodeSnapshot.parse(scaled);
}
