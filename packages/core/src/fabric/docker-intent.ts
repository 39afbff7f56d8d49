import { z } from "zod";
import { nthAddress, parseCidr } from "../net/cidr.js";
import { Cidr4, Ip4 } from "../net/schemas.js";
import type { DockerAllocation } from "./docker-allocate.js";
import { DockerNetworkName } from "./docker-spec.js";
import type { FleetSpec } from "./fleet-spec.js";
import { IntentRoute } from "./intent-route.js";
import { NETATLAS_VXLAN_DEVICE } from "./owned.js";

export const DockerNetworkIntent = z
  .object({
    name: DockerNetworkName,
    subnet: Cidr4,
    gateway: Ip4,
    mtu: z.number().int().min(576).max(9216),
    /** Docker's own masquerade option: off on routed networks, whose masquerade is netatlas's (see `nat`). */
    masquerade: z.boolean(),
    icc: z.boolean(),
  })
  .strict();
export type DockerNetworkIntent = z.infer<typeof DockerNetworkIntent>;

/** A Docker host's part of the fleet: its networks, and routes to the other hosts' subnets of them. */
export const DockerIntent = z
  .object({
    networks: z.array(DockerNetworkIntent).max(64),
    /** Owned routes (netatlas's route protocol), planned together with the pod fabric's. */
    routes: z.array(IntentRoute).max(10_000),
    /**
     * Masquerade of routed networks, in netatlas's nft table: traffic from
     * `sources` leaving for anything outside `except` (the fleet's Docker
     * range), so containers on other hosts see the sender's own address.
     */
    nat: z.object({ sources: z.array(Cidr4).min(1).max(64), except: Cidr4 }).strict().optional(),
  })
  .strict();
export type DockerIntent = z.infer<typeof DockerIntent>;

/** The VTEP address of a node on the pod fabric's VXLAN: its pod subnet's network address. */
const vtepOf = (podSubnet: string) => nthAddress(parseCidr(podSubnet), 0n).toString();

/** What Docker host `nodeName` needs; undefined when it is not one. `podAllocation` is needed for vxlan routing. */
export function dockerIntent(spec: FleetSpec, allocation: DockerAllocation, podAllocation: Record<string, string>, nodeName: string): DockerIntent | undefined {
  const docker = spec.docker;
  if (!docker?.hosts.includes(nodeName)) return undefined;
  const self = spec.nodes.find((n) => n.name === nodeName);
  if (!self) throw new Error(`Docker host "${nodeName}" is not a node of the fleet spec`);
  const subnetOf = (network: string, host: string) => {
    const subnet = allocation[network]?.[host];
    if (!subnet) throw new Error(`Docker network ${network} has no subnet allocated on ${host}`);
    return subnet;
  };
  const routed = docker.routing !== "none";
  const specs = [...docker.networks].sort((a, b) => a.name.localeCompare(b.name));
  // Docker's own rule would masquerade traffic to the other hosts' containers too: on routed networks netatlas masquerades instead.
  const networks = specs.map((n) => {
    const subnet = subnetOf(n.name, nodeName);
    return { name: n.name, subnet, gateway: nthAddress(parseCidr(subnet), 1n).toString(), mtu: n.mtu, masquerade: routed ? false : n.masquerade, icc: n.icc };
  });
  if (!routed) return { networks, routes: [] };
  const sources = specs.filter((n) => n.masquerade).map((n) => subnetOf(n.name, nodeName));
  const nat = sources.length ? { nat: { sources, except: docker.range } } : {};
  const peers = spec.nodes.filter((n) => n.name !== nodeName && docker.hosts.includes(n.name)).sort((a, b) => a.name.localeCompare(b.name));
  const routes = peers.flatMap((peer) =>
    networks.map((n) => {
      const dst = subnetOf(n.name, peer.name);
      if (docker.routing === "host-gw") return { dst, via: peer.underlayIp, dev: self.underlayDev, onlink: false };
      const podSubnet = podAllocation[peer.name];
      if (!podSubnet) throw new Error(`vxlan routing to ${peer.name} needs its pod subnet, and it has none allocated`);
      return { dst, via: vtepOf(podSubnet), dev: NETATLAS_VXLAN_DEVICE, onlink: true };
    }),
  );
  return { networks, routes, ...nat };
}
