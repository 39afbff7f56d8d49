import { z } from "zod";
import { cidrContainsIp, cidrSize, cidrsOverlap, parseCidr } from "../net/cidr.js";
import { Cidr4, Ip4 } from "../net/schemas.js";
import { lazySchema } from "../model/lazy-schema.js";

/** Docker's default bridge network: every Docker host has it unless `bip` moves it. */
export const DOCKER_DEFAULT_BRIDGE = "172.17.0.0/16";
/** Names dockerd keeps for its own networks. */
const DOCKER_BUILTIN_NETWORKS = new Set(["bridge", "host", "none"]);

/** A Docker network name as dockerd accepts it, and safe to send as JSON. */
export const DockerNetworkName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, "must start with a letter or digit and hold only letters, digits, '_', '.' and '-'")
  .refine((n) => !DOCKER_BUILTIN_NETWORKS.has(n), "is one of Docker's own networks (bridge, host, none)");

/** One bridge network that every Docker host of the fleet has, each host with its own subnet of the range. */
export const DockerNetworkSpec = lazySchema(() =>
  z.object({
    name: DockerNetworkName,
    driver: z.literal("bridge").default("bridge"),
    /** Each host's subnet of this network has this prefix length, out of the fleet's Docker range. */
    subnetPrefix: z.number().int().min(8).max(29).default(24),
    mtu: z.number().int().min(576).max(9216).default(1500),
    /** Docker's own masquerade of traffic leaving the bridge (com.docker.network.bridge.enable_ip_masquerade). */
    masquerade: z.boolean().default(true),
    /** Containers on the same bridge may talk to each other (com.docker.network.bridge.enable_icc). */
    icc: z.boolean().default(true),
  }),
);
export type DockerNetworkSpec = z.infer<typeof DockerNetworkSpec>;

export const DockerFleetSpec = lazySchema(() =>
  z.object({
    /** Every host's Docker bridge subnets come out of this range. */
    range: Cidr4,
    /** The nodes that run dockerd (names from `nodes`). */
    hosts: z.array(z.string()).min(1, "name at least one Docker host (a node name)"),
    networks: z.array(DockerNetworkSpec).min(1, "name at least one Docker network").max(64),
    /**
     * How hosts reach each other's Docker subnets: routes to the peer's underlay
     * address (host-gw), over the pod fabric's VXLAN device (vxlan), or not at all.
     */
    routing: z.enum(["host-gw", "vxlan", "none"]).default("host-gw"),
  }),
);
export type DockerFleetSpec = z.infer<typeof DockerFleetSpec>;

/** What the Docker checks need of the rest of the spec. */
interface FleetContext {
  /** Absent on a fleet of plain Docker hosts (no pod fabric). */
  podCidr?: string;
  reserved: string[];
  nodes: Array<{ name: string; underlayIp: string }>;
  backend?: { type: string; mtu?: number };
  underlayMtu: number;
}

type Report = (path: PropertyKey[], message: string) => void;

function checkRange(docker: DockerFleetSpec, fleet: FleetContext, issue: Report): void {
  const clashes: Array<[string, string]> = [
    ...(fleet.podCidr ? [[fleet.podCidr, `the pod CIDR ${fleet.podCidr}`] as [string, string]] : []),
    [DOCKER_DEFAULT_BRIDGE, `${DOCKER_DEFAULT_BRIDGE} (Docker's default bridge, docker0)`],
    ...fleet.reserved.filter((r) => Cidr4.safeParse(r).success).map((r): [string, string] => [r, `${r} (reserved)`]),
  ];
  for (const [cidr, what] of clashes) if (cidrsOverlap(docker.range, cidr)) issue(["docker", "range"], `${docker.range} overlaps ${what}`);
  for (const node of fleet.nodes) {
    if (Ip4.safeParse(node.underlayIp).success && cidrContainsIp(docker.range, node.underlayIp)) issue(["docker", "range"], `${docker.range} holds ${node.name}'s underlay address ${node.underlayIp}; the node network and Docker's must not overlap`);
  }
  const range = parseCidr(docker.range);
  let needed = 0n;
  docker.networks.forEach((n, i) => {
    if (n.subnetPrefix < range.prefixLength) issue(["docker", "networks", i, "subnetPrefix"], `/${n.subnetPrefix} is bigger than the Docker range ${docker.range}`);
    else needed += BigInt(docker.hosts.length) * (1n << BigInt(32 - n.subnetPrefix));
  });
  if (needed > cidrSize(range)) issue(["docker", "range"], `${docker.range} has ${cidrSize(range)} addresses, but ${docker.hosts.length} hosts × ${docker.networks.length} networks need ${needed}`);
}

/** The Docker section's checks against itself and the rest of the fleet; each problem names its field. */
export function checkDockerSpec(docker: DockerFleetSpec, fleet: FleetContext, issue: Report): void {
  // zod runs the cross-field checks even when a field failed: they need a valid section.
  if (!DockerFleetSpec.safeParse(docker).success) return;
  checkRange(docker, fleet, issue);
  const nodes = new Set(fleet.nodes.map((n) => n.name));
  const hosts = new Set<string>();
  docker.hosts.forEach((host, i) => {
    if (!nodes.has(host)) issue(["docker", "hosts", i], `"${host}" is not a node of the fleet (nodes: ${[...nodes].join(", ")})`);
    if (hosts.has(host)) issue(["docker", "hosts", i], `"${host}" appears twice`);
    hosts.add(host);
  });
  const names = new Set<string>();
  docker.networks.forEach((n, i) => {
    if (names.has(n.name)) issue(["docker", "networks", i, "name"], `"${n.name}" appears twice`);
    names.add(n.name);
  });
  if (docker.routing === "vxlan" && !fleet.backend) issue(["docker", "routing"], "vxlan routing rides on the pod fabric's VXLAN, but this spec has no pod fabric (podCidr, backend); use host-gw");
  else if (docker.routing === "vxlan" && fleet.backend?.type !== "vxlan") issue(["docker", "routing"], `vxlan routing rides on the pod fabric's VXLAN, but backend.type is ${fleet.backend?.type}; use host-gw`);
  const pathMtu = docker.routing === "vxlan" ? fleet.backend?.mtu : docker.routing === "host-gw" ? fleet.underlayMtu : undefined;
  docker.networks.forEach((n, i) => {
    if (pathMtu !== undefined && n.mtu > pathMtu) issue(["docker", "networks", i, "mtu"], `${n.mtu} exceeds the MTU of the path between hosts (${pathMtu}, ${docker.routing}); use at most ${pathMtu}`);
  });
}
