import type { Address } from "../model/address.js";
import type { NodeSnapshot } from "../model/snapshot.js";
import { canonicalIp, NodeIndex } from "./node-index.js";

/** An interface address somewhere in the fleet. */
export interface AddressOwner {
  node: NodeIndex;
  address: Address;
}

/**
 * A fleet of snapshots indexed once, for many traces: per node its links,
 * routing tables, neighbours and FDB; across nodes who owns which address.
 */
export class FleetIndex {
  readonly nodes = new Map<string, NodeIndex>();
  private readonly owners = new Map<string, AddressOwner[]>();

  constructor(readonly fleet: readonly NodeSnapshot[]) {
    for (const snapshot of fleet) {
      const node = new NodeIndex(snapshot);
      this.nodes.set(snapshot.node, node);
      for (const address of snapshot.addresses) {
        // Loopback and link-local addresses exist in every namespace; they name nobody.
        if (address.scope === "host" || address.scope === "link") continue;
        const ip = canonicalIp(address.address);
        const owners = this.owners.get(ip);
        if (owners) owners.push({ node, address });
        else this.owners.set(ip, [{ node, address }]);
      }
    }
  }

  /** Every namespace in the fleet with `ip` on an interface. */
  ownersOf(ip: string): AddressOwner[] {
    return this.owners.get(ip) ?? [];
  }

  /** The node whose host namespace has `ip`: where an underlay packet to it lands. */
  nodeWithHostAddress(ip: string): AddressOwner | undefined {
    return this.ownersOf(ip).find((o) => o.address.netns === o.node.host?.id);
  }
}

/** Indexes a fleet of node snapshots once; pass the result to many `trace` calls. */
export function prepareFleet(fleet: readonly NodeSnapshot[]): FleetIndex {
  return new FleetIndex(fleet);
}
