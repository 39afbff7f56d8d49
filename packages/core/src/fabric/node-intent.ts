import { sha256 } from "@noble/hashes/sha256";
import { z } from "zod";
import { nthAddress, parseCidr } from "../net/cidr.js";
import { Cidr4, Ip4 } from "../net/schemas.js";
import { InterfaceName, MacAddress } from "../model/names.js";
import type { Allocation } from "./allocate.js";
import { allocateDocker, type DockerAllocation } from "./docker-allocate.js";
import { DockerIntent, dockerIntent } from "./docker-intent.js";
import { IntentRoute } from "./intent-route.js";
import type { FleetSpec } from "./fleet-spec.js";
import { NETATLAS_VXLAN_DEVICE } from "./owned.js";

const Cidr4WithHost = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, "must be an IPv4 address with a prefix length, such as 10.244.1.1/24").refine((v) => Ip4.safeParse(v.split("/")[0]).success && Number(v.split("/")[1]) <= 32, "must be an IPv4 address with a prefix length, such as 10.244.1.1/24");
const Mtu = z.number().int().min(576).max(9216);

export { IntentRoute };

/** Everything one node needs for the fleet's pod fabric. Checked strictly: it arrives over the API and becomes commands. */
export const NodeIntent = z
  .object({
    node: z.string().min(1).max(253),
    podCidr: Cidr4,
    subnet: Cidr4,
    bridge: z.object({ name: InterfaceName, address: Cidr4WithHost, mtu: Mtu }).strict(),
    vxlan: z
      .object({ name: InterfaceName, vni: z.number().int().min(1).max(16_777_215), port: z.number().int().min(1).max(65_535), local: Ip4, dev: InterfaceName, mtu: Mtu, mac: MacAddress, address: Cidr4WithHost })
      .strict()
      .optional(),
    routes: z.array(IntentRoute).max(10_000),
    neighbors: z.array(z.object({ address: Ip4, lladdr: MacAddress, dev: InterfaceName }).strict()).max(10_000),
    fdb: z.array(z.object({ mac: MacAddress, dev: InterfaceName, dst: Ip4 }).strict()).max(10_000),
    masquerade: z.boolean(),
    /** Present on Docker hosts when the spec has a docker section. */
    docker: DockerIntent.optional(),
  })
  .strict();
export type NodeIntent = z.infer<typeof NodeIntent>;

const withDocker = (docker: DockerIntent | undefined) => (docker ? { docker } : {});

/** A stable, locally administered unicast MAC for a node's VXLAN device (like flannel's, but derived from the name). */
export function vxlanMac(node: string): string {
  const digest = sha256(new TextEncoder().encode(`netatlas-vxlan:${node}`));
  return ["0e", ...Array.from(digest.slice(0, 5), (b) => b.toString(16).padStart(2, "0"))].join(":");
}

/**
 * The routes, VXLAN device, neighbour and FDB entries, bridge and NAT that
 * `nodeName` needs, and on a Docker host its Docker networks and the routes to
 * the other hosts' (from `dockerAllocation`, by default a fresh one).
 */
export function nodeIntent(spec: FleetSpec, allocation: Allocation, nodeName: string, dockerAllocation: DockerAllocation = allocateDocker(spec)): NodeIntent {
  const self = spec.nodes.find((n) => n.name === nodeName);
  const subnet = allocation[nodeName];
  if (!self || !subnet) throw new Error(`node "${nodeName}" is not in the fleet spec (or has no subnet allocated)`);
  const peers = spec.nodes.filter((n) => n.name !== nodeName).sort((a, b) => a.name.localeCompare(b.name));
  const sub = parseCidr(subnet);
  const peerSubnet = (name: string) => allocation[name] as string;
  // The VTEP address is the subnet's network address (as flannel does): unique per node, never given to a pod.
  const vtep = (cidr: string) => nthAddress(parseCidr(cidr), 0n).toString();
  const base = {
    node: nodeName,
    podCidr: spec.podCidr,
    subnet,
    bridge: { name: spec.bridge, address: `${nthAddress(sub, 1n).toString()}/${sub.prefixLength}`, mtu: spec.backend.type === "vxlan" ? spec.backend.mtu : spec.underlayMtu },
    masquerade: spec.masquerade,
    ...withDocker(dockerIntent(spec, dockerAllocation, allocation, nodeName)),
  };
  if (spec.backend.type === "host-gw") {
    return {
      ...base,
      routes: peers.map((p) => ({ dst: peerSubnet(p.name), via: p.underlayIp, dev: self.underlayDev, onlink: false })),
      neighbors: [],
      fdb: [],
    };
  }
  const { vni, port, mtu } = spec.backend;
  const dev = NETATLAS_VXLAN_DEVICE;
  return {
    ...base,
    vxlan: { name: dev, vni, port, local: self.underlayIp, dev: self.underlayDev, mtu, mac: vxlanMac(nodeName), address: `${vtep(subnet)}/32` },
    routes: peers.map((p) => ({ dst: peerSubnet(p.name), via: vtep(peerSubnet(p.name)), dev, onlink: true })),
    neighbors: peers.map((p) => ({ address: vtep(peerSubnet(p.name)), lladdr: vxlanMac(p.name), dev })),
    fdb: peers.map((p) => ({ mac: vxlanMac(p.name), dev, dst: p.underlayIp })),
  };
}
