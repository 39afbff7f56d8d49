import type { DockerNetwork } from "../../model/docker-network.js";
import type { NodeSnapshot } from "../../model/snapshot.js";
import { cidrsOverlap } from "../../net/cidr.js";
import type { FleetSpec } from "../../fabric/fleet-spec.js";

/** An IPv4 subnet of a Docker bridge network on one host. */
export interface HostSubnet {
  node: string;
  network: DockerNetwork;
  subnet: string;
}

/** What the fleet-wide rules need, computed once: each host's Docker subnets and who routes to whom. */
export class FleetView {
  readonly subnets: HostSubnet[];

  constructor(readonly snapshots: readonly NodeSnapshot[], readonly spec?: FleetSpec) {
    this.subnets = snapshots.flatMap((s) =>
      s.dockerNetworks.flatMap((network) => (network.driver === "bridge" ? network.subnets.filter((x) => !x.subnet.includes(":")).map((x) => ({ node: s.node, network, subnet: x.subnet })) : [])),
    );
  }

  /** The routes of a node's host namespace (main table) that send `cidr`, or part of it, elsewhere. */
  routesInto(node: string, cidr: string): string[] {
    const snapshot = this.snapshots.find((s) => s.node === node);
    const host = snapshot?.namespaces.find((n) => n.kind === "host")?.id;
    if (!snapshot || host === undefined) return [];
    return snapshot.routes
      .filter((r) => r.netns === host && r.table === "main" && r.type === "unicast" && r.family === 4 && r.protocol !== "kernel" && !r.dst.endsWith("/0") && cidrsOverlap(r.dst, cidr))
      .map((r) => `${node}: ${r.dst}${r.via ? ` via ${r.via}` : ""}${r.dev ? ` dev ${r.dev}` : ""}`);
  }

  /** Routes on either node into the other's Docker subnets: the evidence that they route to each other. */
  routesBetween(a: string, b: string): string[] {
    const mine = (node: string) => this.subnets.filter((s) => s.node === node);
    return [...mine(b).flatMap((s) => this.routesInto(a, s.subnet)), ...mine(a).flatMap((s) => this.routesInto(b, s.subnet))];
  }

  /** Whether the spec makes both Docker hosts that route each other's subnets. */
  specRoutes(a: string, b: string): boolean {
    const docker = this.spec?.docker;
    return !!docker && docker.routing !== "none" && docker.hosts.includes(a) && docker.hosts.includes(b);
  }

  routeEachOther(a: string, b: string): boolean {
    return this.specRoutes(a, b) || this.routesBetween(a, b).length > 0;
  }
}
