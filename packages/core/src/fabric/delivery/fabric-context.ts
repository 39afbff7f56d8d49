import type { Link } from "../../model/link.js";
import type { NodeSnapshot } from "../../model/snapshot.js";
import { FleetIndex } from "../../trace/fleet-index.js";
import type { NodeIndex } from "../../trace/node-index.js";
import type { FleetSpec } from "../fleet-spec.js";
import { inferFabric, type FabricKnowledge } from "../inferred/infer-fabric.js";
import type { InferredFabric, NodeFabric, Tunnel } from "../inferred/inferred-fabric.js";
import type { Delivery } from "./delivery.js";
import { evaluateDelivery } from "./subnet-delivery.js";
import { OwnedSubnets, type OwnedSubnet } from "./owned-subnets.js";

/** A node as the fabric checks see it: its indexed snapshot, its share of the fabric, its host namespace. */
export interface FabricNode {
  name: string;
  index: NodeIndex;
  fabric: NodeFabric;
  host: number;
  /** The VXLAN device it sends other nodes' pods' packets through (else its only one), if any. */
  vxlan?: Tunnel;
  vxlanLink?: Link;
  /** The address other nodes' FDB entries must send its VTEP's frames to: the VXLAN device's local address, else its underlay address. */
  vtepUnderlay?: string;
}

/**
 * One fleet, indexed once for every fabric check and the reachability matrix:
 * the trace's FleetIndex (routes, neighbours, FDB per namespace), the inferred
 * fabric, who owns which subnet, VTEP address and VTEP MAC, and each node's
 * routing decision per destination subnet, memoised.
 */
export class FabricContext {
  readonly index: FleetIndex;
  readonly fabric: InferredFabric;
  readonly owned: OwnedSubnets;
  readonly nodes = new Map<string, FabricNode>();
  private readonly vtepAddresses = new Map<string, string>();
  private readonly vtepMacs = new Map<string, string>();
  private readonly deliveries = new Map<FabricNode, Map<OwnedSubnet, Delivery>>();

  constructor(
    fleet: FleetIndex | readonly NodeSnapshot[],
    readonly spec?: FleetSpec,
    known: FabricKnowledge = {},
  ) {
    this.index = fleet instanceof FleetIndex ? fleet : new FleetIndex(fleet);
    this.fabric = inferFabric(this.index.fleet, spec, known);
    this.owned = new OwnedSubnets(this.fabric);
    for (const fabric of this.fabric.nodes) {
      const index = this.index.nodes.get(fabric.node);
      const host = index?.host?.id;
      if (!index || host === undefined) continue;
      const vxlans = fabric.tunnels.filter((t) => t.kind === "vxlan");
      const vxlan = vxlans.find((t) => t.dev === fabric.fabricTunnel) ?? (vxlans.length === 1 ? vxlans[0] : undefined);
      const vxlanLink = vxlan && index.links.named(host, vxlan.dev);
      const vtepUnderlay = vxlan?.local ?? (fabric.underlay.find((u) => u.dev === vxlan?.lower) ?? fabric.underlay.find((u) => !u.ip.includes(":")))?.ip;
      this.nodes.set(fabric.node, { name: fabric.node, index, fabric, host, ...(vxlan ? { vxlan } : {}), ...(vxlanLink ? { vxlanLink } : {}), ...(vtepUnderlay ? { vtepUnderlay } : {}) });
      for (const t of vxlans) {
        if (t.mac) this.vtepMacs.set(t.mac, fabric.node);
        for (const a of t.addresses) this.vtepAddresses.set(a.split("/")[0]!, fabric.node);
      }
    }
  }

  /** Whose VTEP an inner next hop is: the node with that address on its VXLAN device, else the owner of the subnet it is in (flannel's VTEP address is its subnet's network address). */
  vtepOwnerOf(ip: string): string | undefined {
    return this.vtepAddresses.get(ip) ?? this.owned.of(ip)?.node;
  }

  /** The node whose VXLAN device has this MAC. */
  macOwnerOf(mac: string): string | undefined {
    return this.vtepMacs.get(mac.toLowerCase());
  }

  /** The node whose host namespace has this address (an underlay address). */
  nodeAt(ip: string): string | undefined {
    return this.index.nodeWithHostAddress(ip)?.node.name;
  }

  /**
   * Whether `from` must deliver `subnet` to its owner: every node with pods must
   * reach every other node's pods (the Kubernetes network model); Docker subnets
   * only between hosts the spec routes them between.
   */
  requires(from: FabricNode, subnet: OwnedSubnet): boolean {
    if (subnet.node === from.name) return false;
    if (subnet.kind === "pod") return from.fabric.podSubnets.length > 0;
    const docker = this.spec?.docker;
    return docker !== undefined && docker.routing !== "none" && docker.hosts.includes(from.name) && docker.hosts.includes(subnet.node);
  }

  /**
   * What `from` does with a packet for `subnet`, decided once per (node, destination
   * subnet) and shared by every check and matrix cell that sends there through it.
   */
  deliveryOf(from: FabricNode, subnet: OwnedSubnet): Delivery {
    let known = this.deliveries.get(from);
    if (!known) this.deliveries.set(from, (known = new Map()));
    let delivery = known.get(subnet);
    if (!delivery) known.set(subnet, (delivery = evaluateDelivery(this, from, subnet)));
    return delivery;
  }
}
