import { cidrContains, cidrsOverlap, formatCidr, nthSubnet, parseCidr, type Cidr } from "../net/cidr.js";
import type { DockerNetwork } from "../model/docker-network.js";
import type { FleetSpec } from "./fleet-spec.js";

/** Which subnet each Docker host has for each network: network name -> host name -> CIDR. */
export type DockerAllocation = Record<string, Record<string, string>>;

/**
 * Gives every Docker host a subnet of the fleet's Docker range for each network.
 * Subnets from `previous` that still fit are kept (containers' addresses stay
 * valid); the rest get the lowest free aligned block, bigger blocks first, then
 * by network and host name, so the result depends only on the spec and
 * `previous`. Throws when the range is too fragmented to place one.
 */
export function allocateDocker(spec: FleetSpec, previous: DockerAllocation = {}): DockerAllocation {
  const docker = spec.docker;
  if (!docker) return {};
  const range = parseCidr(docker.range);
  const taken: Cidr[] = [];
  const free = (c: Cidr) => !taken.some((t) => cidrsOverlap(t, c));
  const result: DockerAllocation = Object.fromEntries(docker.networks.map((n) => [n.name, {}]));
  for (const network of docker.networks) {
    for (const host of docker.hosts) {
      const had = previous[network.name]?.[host];
      if (!had) continue;
      const subnet = parseCidr(had);
      if (subnet.prefixLength !== network.subnetPrefix || !cidrContains(range, subnet) || !free(subnet)) continue;
      (result[network.name] as Record<string, string>)[host] = formatCidr(subnet);
      taken.push(subnet);
    }
  }
  const hosts = [...docker.hosts].sort();
  const networks = [...docker.networks].sort((a, b) => a.subnetPrefix - b.subnetPrefix || a.name.localeCompare(b.name));
  for (const network of networks) {
    const blocks = 1n << BigInt(network.subnetPrefix - range.prefixLength);
    const mine = result[network.name] as Record<string, string>;
    let next = 0n;
    for (const host of hosts) {
      if (mine[host]) continue;
      while (next < blocks && !free(nthSubnet(range, network.subnetPrefix, next))) next++;
      if (next >= blocks) throw new Error(`docker.range ${docker.range} has no free /${network.subnetPrefix} left for network ${network.name} on ${host}`);
      const subnet = nthSubnet(range, network.subnetPrefix, next);
      mine[host] = formatCidr(subnet);
      taken.push(subnet);
    }
  }
  return result;
}

/**
 * The allocation the hosts already have: each spec network's IPv4 subnet as
 * dockerd reports it, so a new allocation keeps them.
 */
export function dockerAllocationOf(hosts: Record<string, readonly DockerNetwork[]>): DockerAllocation {
  const result: DockerAllocation = {};
  for (const [host, networks] of Object.entries(hosts)) {
    for (const network of networks) {
      const subnet = network.subnets.find((s) => !s.subnet.includes(":"))?.subnet;
      if (network.driver === "bridge" && subnet) (result[network.name] ??= {})[host] = subnet;
    }
  }
  return result;
}
