import { cidrContains, cidrsOverlap, normalizeCidr } from "../net/cidr.js";
import type { Finding } from "../model/finding.js";
import type { SnapshotView } from "./context.js";

interface OwnedCidr {
  cidr: string;
  netns: number;
  owner: string;
  /** Where the packets for it go: "local" (connected) or the route's next hop. */
  via: "local" | string;
}

/** Subnets connected to interfaces: the prefixes a namespace delivers locally. /32 and /128 are host addresses, not subnets. */
function connectedSubnets(view: SnapshotView): OwnedCidr[] {
  return view.snapshot.addresses
    .filter((a) => a.scope === "global" && a.prefixLength < (a.family === 4 ? 32 : 128))
    .map((a) => ({ cidr: normalizeCidr(`${a.address}/${a.prefixLength}`), netns: a.netns, owner: a.ifname, via: "local" }));
}

/** Docker bridge networks that have no bridge with an address yet still claim their subnet. */
function dockerSubnets(view: SnapshotView): OwnedCidr[] {
  const host = view.snapshot.namespaces.find((ns) => ns.kind === "host");
  if (!host) return [];
  return view.snapshot.dockerNetworks.flatMap((n) =>
    n.driver === "bridge" ? n.subnets.map((s) => ({ cidr: normalizeCidr(s.subnet), netns: host.id, owner: n.bridge ?? `docker network ${n.name}`, via: "local" as const })) : [],
  );
}

function remoteRoutes(view: SnapshotView): OwnedCidr[] {
  return view.snapshot.routes
    .filter((r) => r.table === "main" && r.type === "unicast" && r.protocol !== "kernel" && !r.dst.endsWith("/0") && (r.via || r.dev))
    .map((r) => ({ cidr: normalizeCidr(r.dst), netns: r.netns, owner: `route ${r.dst}${r.via ? ` via ${r.via}` : ""}${r.dev ? ` dev ${r.dev}` : ""}`, via: r.via ?? r.dev ?? "" }));
}

/**
 * Two interfaces of one namespace whose subnets overlap (docker0 against cni0, a
 * Docker network against the node network), or a route that sends part of a
 * connected subnet elsewhere: packets for those addresses go the wrong way.
 */
export function cidrOverlaps(view: SnapshotView): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const connected = [...connectedSubnets(view), ...dockerSubnets(view)];
  const report = (a: OwnedCidr, b: OwnedCidr, message: string, hint: string) => {
    const key = [a.netns, ...[`${a.owner} ${a.cidr}`, `${b.owner} ${b.cidr}`].sort()].join("|");
    if (seen.has(key)) return;
    seen.add(key);
    findings.push({ code: "cidr-overlap", severity: "error", message, hint, subjects: [view.where(a.netns, a.owner), a.cidr, b.cidr] });
  };
  for (let i = 0; i < connected.length; i++) {
    for (let j = i + 1; j < connected.length; j++) {
      const a = connected[i]!;
      const b = connected[j]!;
      if (a.netns !== b.netns || a.owner === b.owner || !cidrsOverlap(a.cidr, b.cidr)) continue;
      report(a, b, `${a.owner} (${a.cidr}) and ${b.owner} (${b.cidr}) overlap in ${view.where(a.netns)}`, "Give one of them a subnet of its own (for docker0: \"bip\" in /etc/docker/daemon.json; for pods: the pod CIDR).");
    }
  }
  for (const route of remoteRoutes(view)) {
    for (const local of connected) {
      if (local.netns !== route.netns || !cidrContains(local.cidr, route.cidr) || route.via === local.owner) continue;
      report(local, route, `${route.owner} sends part of ${local.owner}'s subnet ${local.cidr} elsewhere in ${view.where(local.netns)}`, "Remove the route or move the subnet: one address range must have one home.");
    }
  }
  return findings;
}
