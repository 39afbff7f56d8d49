import type { NodeSnapshot } from "../../model/snapshot.js";
import { cidrsOverlap, normalizeCidr } from "../../net/cidr.js";
import type { FabricBackend, TunnelKind } from "./inferred-fabric.js";
import { tunnelKindOf } from "./tunnels.js";

type Way = TunnelKind | "host-gw";

/**
 * How a node reaches the other nodes' pod subnets, read from its routes to them:
 * through a tunnel device (vxlan, ipip, gre), or via a gateway on a plain device
 * (host-gw). Also the tunnel most of those routes use: the node's fabric tunnel.
 */
export function backendOf(snapshot: NodeSnapshot, host: number | undefined, ownerOf: (cidr: string) => string | undefined, others: readonly string[]): { backend: FabricBackend; fabricTunnel?: string } {
  const links = new Map(snapshot.links.filter((l) => l.netns === host).map((l) => [l.name, l]));
  const ways = new Set<Way>();
  const tunnelUse = new Map<string, number>();
  for (const r of snapshot.routes) {
    if (r.netns !== host || r.table !== "main" || r.type !== "unicast" || r.dst.endsWith("/0") || !r.dev) continue;
    const link = links.get(r.dev);
    const tunnel = link && tunnelKindOf(link);
    if (!tunnel && !r.via) continue;
    const dst = normalizeCidr(r.dst);
    const owner = ownerOf(dst) ?? (others.some((o) => cidrsOverlap(o, dst)) ? "another node" : undefined);
    if (!owner || owner === snapshot.node) continue;
    ways.add(tunnel ?? "host-gw");
    if (tunnel) tunnelUse.set(r.dev, (tunnelUse.get(r.dev) ?? 0) + 1);
  }
  const fabricTunnel = [...tunnelUse].sort((a, b) => b[1] - a[1])[0]?.[0];
  return { backend: combined(ways), ...(fabricTunnel ? { fabricTunnel } : {}) };
}

/** One way for all, "none" without any, "mixed" when they differ. */
export function combined(ways: ReadonlySet<FabricBackend>): FabricBackend {
  const real = [...ways].filter((w) => w !== "none");
  if (real.length === 0) return "none";
  return real.length === 1 ? real[0]! : "mixed";
}
