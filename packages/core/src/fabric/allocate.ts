import { cidrContains, formatCidr, nthSubnet, parseCidr } from "../net/cidr.js";
import type { FleetSpec } from "./fleet-spec.js";

/** Which pod subnet each node has: node name -> CIDR. */
export type Allocation = Record<string, string>;

/**
 * Gives every node a subnet of the pod CIDR. Nodes that had one keep it (their pods'
 * addresses stay valid); new nodes get the lowest free subnets, in name order, so
 * the result depends only on the spec and the previous allocation. A fleet
 * without a pod fabric (plain Docker hosts) gives none.
 */
export function allocate(spec: FleetSpec, previous: Allocation = {}): Allocation {
  if (spec.podCidr === undefined) return {};
  const pod = parseCidr(spec.podCidr);
  const result: Allocation = {};
  const taken = new Set<string>();
  for (const node of spec.nodes) {
    const had = previous[node.name];
    if (!had) continue;
    const subnet = parseCidr(had);
    if (subnet.prefixLength === spec.nodeSubnetPrefix && cidrContains(pod, subnet) && !taken.has(formatCidr(subnet))) {
      result[node.name] = formatCidr(subnet);
      taken.add(formatCidr(subnet));
    }
  }
  let next = 0n;
  for (const node of [...spec.nodes].sort((a, b) => a.name.localeCompare(b.name))) {
    if (result[node.name]) continue;
    let subnet = formatCidr(nthSubnet(pod, spec.nodeSubnetPrefix, next));
    while (taken.has(subnet)) subnet = formatCidr(nthSubnet(pod, spec.nodeSubnetPrefix, ++next));
    result[node.name] = subnet;
    taken.add(subnet);
  }
  return result;
}
