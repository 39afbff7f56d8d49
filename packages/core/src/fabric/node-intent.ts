import { sha256 } from "@noble/hashes/sha256";
import { z } from "zod";
import { nthAddress, parseCidr } from "../net/cidr.js";
import { Cidr4, Ip4 } from "../net/schemas.js";
import { MacAddress, WritableInterfaceName } from "../model/names.js";
import type { Allocation } from "./allocate.js";
import { allocateDocker, type DockerAllocation } from "./docker-allocate.js";
import { DockerIntent, dockerIntent } from "./docker-intent.js";
import { IntentRoute } from "./intent-route.js";
import { podFabricOf, type FleetSpec } from "./fleet-spec.js";
import { NETATLAS_VXLAN_DEVICE } from "./owned.js";
import { lazySchema } from "../model/lazy-schema.js";

const Cidr4WithHost = lazySchema(() =>
  z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, "must be an IPv4 address with a prefix length, such as 10.244.1.1/24").refine((v) => Ip4.safeParse(v.split("/")[0]).success && Number(v.split("/")[1]) <= 32, "must be an IPv4 address with a prefix length, such as 10.244.1.1/24"),
);
const Mtu = lazySchema(() => z.number().int().min(576).max(9216));

export { IntentRoute };

/** The pod fabric's fields of an intent: all present, or none on a fleet of plain Docker hosts. */
const POD_FIELDS = ["podCidr", "subnet", "bridge"] as const;

/**
 * Everything one node needs for the fleet's pod fabric and Docker networks.
 * Checked strictly: it arrives over the API and becomes commands.
 */
export const NodeIntent = z
  .object({
    node: z.string().min(1).max(253),
    podCidr: Cidr4.optional(),
    subnet: Cidr4.optional(),
    bridge: z.object({ name: WritableInterfaceName, address: Cidr4WithHost, mtu: Mtu }).strict().optional(),
    vxlan: z
      .object({ name: WritableInterfaceName, vni: z.number().int().min(1).max(16_777_215), port: z.number().int().min(1).max(65_535), local: Ip4, dev: WritableInterfaceName, mtu: Mtu, mac: MacAddress, address: Cidr4WithHost })
      .strict()
      .optional(),
    /** Routes to the other nodes' pod subnets (the Docker ones are in `docker`). */
    routes: z.array(IntentRoute).max(10_000),
    neighbors: z.array(z.object({ address: Ip4, lladdr: MacAddress, dev: WritableInterfaceName }).strict()).max(10_000),
    fdb: z.array(z.object({ mac: MacAddress, dev: WritableInterfaceName, dst: Ip4 }).strict()).max(10_000),
    /** Pod masquerade (netatlas's nft table); false without a pod fabric. */
    masquerade: z.boolean(),
    /** Present on Docker hosts when the spec has a docker section. */
    docker: DockerIntent.optional(),
  })
  .strict()
  .superRefine((intent, ctx) => {
    const present = POD_FIELDS.filter((f) => intent[f] !== undefined);
    if (present.length === POD_FIELDS.length) return;
    if (present.length) {
      for (const f of POD_FIELDS.filter((f) => intent[f] === undefined)) ctx.addIssue({ code: "custom", path: [f], message: `is missing: ${POD_FIELDS.join(", ")} come together (the pod fabric), or none of them` });
      return;
    }
    // Without a pod fabric nothing of it may be asked for: no VXLAN device, pod routes or pod masquerade.
    const issue = (path: string, what: string) => ctx.addIssue({ code: "custom", path: [path], message: `${what} needs the pod fabric (podCidr, subnet, bridge), which this intent has not` });
    if (intent.vxlan !== undefined) issue("vxlan", "a VXLAN device");
    for (const f of ["routes", "neighbors", "fdb"] as const) if (Array.isArray(intent[f]) && intent[f].length) issue(f, `${f === "routes" ? "routes to pod subnets" : f === "fdb" ? "FDB entries" : "neighbours"}`);
    if (intent.masquerade === true) issue("masquerade", "pod masquerade");
  });
export type NodeIntent = z.infer<typeof NodeIntent>;

const withDocker = (docker: DockerIntent | undefined) => (docker ? { docker } : {});

/** A stable, locally administered unicast MAC for a node's VXLAN device (like flannel's, but derived from the name). */
export function vxlanMac(node: string): string {
  const digest = sha256(new TextEncoder().encode(`netatlas-vxlan:${node}`));
  return ["0e", ...Array.from(digest.slice(0, 5), (b) => b.toString(16).padStart(2, "0"))].join(":");
}

/**
 * The routes, VXLAN device, neighbour and FDB entries, bridge and NAT that
 * `nodeName` needs (none of them when the fleet has no pod fabric), and on a
 * Docker host its Docker networks and the routes to the other hosts' (from
 * `dockerAllocation`, by default a fresh one).
 */
export function nodeIntent(spec: FleetSpec, allocation: Allocation, nodeName: string, dockerAllocation: DockerAllocation = allocateDocker(spec)): NodeIntent {
  const self = spec.nodes.find((n) => n.name === nodeName);
  if (!self) throw new Error(`node "${nodeName}" is not in the fleet spec`);
  const docker = withDocker(dockerIntent(spec, dockerAllocation, allocation, nodeName));
  const pod = podFabricOf(spec);
  // Plain Docker hosts: no bridge, VXLAN device, pod routes or masquerade of a pod fabric.
  if (!pod) return { node: nodeName, routes: [], neighbors: [], fdb: [], masquerade: false, ...docker };
  const subnet = allocation[nodeName];
  if (!subnet) throw new Error(`node "${nodeName}" has no pod subnet allocated`);
  const peers = spec.nodes.filter((n) => n.name !== nodeName).sort((a, b) => a.name.localeCompare(b.name));
  const sub = parseCidr(subnet);
  const peerSubnet = (name: string) => allocation[name] as string;
  // The VTEP address is the subnet's network address (as flannel does): unique per node, never given to a pod.
  const vtep = (cidr: string) => nthAddress(parseCidr(cidr), 0n).toString();
  const base = {
    node: nodeName,
    podCidr: pod.podCidr,
    subnet,
    bridge: { name: spec.bridge, address: `${nthAddress(sub, 1n).toString()}/${sub.prefixLength}`, mtu: pod.backend.type === "vxlan" ? pod.backend.mtu : spec.underlayMtu },
    masquerade: spec.masquerade,
    ...docker,
  };
  if (pod.backend.type === "host-gw") {
    return {
      ...base,
      routes: peers.map((p) => ({ dst: peerSubnet(p.name), via: p.underlayIp, dev: self.underlayDev, onlink: false })),
      neighbors: [],
      fdb: [],
    };
  }
  const { vni, port, mtu } = pod.backend;
  const dev = NETATLAS_VXLAN_DEVICE;
  return {
    ...base,
    vxlan: { name: dev, vni, port, local: self.underlayIp, dev: self.underlayDev, mtu, mac: vxlanMac(nodeName), address: `${vtep(subnet)}/32` },
    routes: peers.map((p) => ({ dst: peerSubnet(p.name), via: vtep(peerSubnet(p.name)), dev, onlink: true })),
    neighbors: peers.map((p) => ({ address: vtep(peerSubnet(p.name)), lladdr: vxlanMac(p.name), dev })),
    fdb: peers.map((p) => ({ mac: vxlanMac(p.name), dev, dst: p.underlayIp })),
  };
}
