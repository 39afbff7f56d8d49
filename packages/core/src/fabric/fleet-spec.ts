import { z } from "zod";
import { cidrContainsIp, cidrSize, cidrsOverlap, parseCidr } from "../net/cidr.js";
import { Cidr4, Ip4 } from "../net/schemas.js";
import { WritableInterfaceName } from "../model/names.js";
import { checkDockerSpec, DOCKER_DEFAULT_BRIDGE, DockerFleetSpec } from "./docker-spec.js";
import { lazySchema } from "../model/lazy-schema.js";

export { DOCKER_DEFAULT_BRIDGE };

/** VXLAN adds 50 bytes (outer Ethernet 14 + IPv4 20 + UDP 8 + VXLAN 8) to every frame. */
export const VXLAN_OVERHEAD = 50;

export const FleetNode = lazySchema(() =>
  z.object({
    name: z.string().min(1).max(63).regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be a DNS-style name: lower-case letters, digits, '-' and '.'"),
    underlayIp: Ip4,
    underlayDev: WritableInterfaceName.default("eth0"),
  }),
);
export type FleetNode = z.infer<typeof FleetNode>;

export const Backend = lazySchema(() =>
  z.discriminatedUnion("type", [
    z.object({ type: z.literal("host-gw") }),
    z.object({
      type: z.literal("vxlan"),
      vni: z.number().int().min(1).max(16_777_215).default(1),
      port: z.number().int().min(1).max(65_535).default(8472),
      mtu: z.number().int().min(576).max(9000).default(1450),
    }),
  ]),
);
export type Backend = z.infer<typeof Backend>;

const FleetSpecShape = lazySchema(() =>
  z.object({
    /**
     * The pod fabric's range: with `backend`, each node gets a pod subnet, a bridge
     * and routes to the others. Left out (with `backend`) on a fleet of plain
     * Docker hosts. The fields below up to `masquerade` only matter with it.
     */
    podCidr: Cidr4.optional(),
    /** Each node gets one subnet of this prefix length out of podCidr. */
    nodeSubnetPrefix: z.number().int("must be a whole number (a prefix length)").min(8, "must be from 8 to 30").max(30, "must be from 8 to 30").default(24),
    backend: Backend.optional(),
    bridge: WritableInterfaceName.default("cni0"),
    /** Masquerade traffic from pods to destinations outside the pod CIDR. */
    masquerade: z.boolean().default(true),
    /** The underlay network's MTU, to check the VXLAN MTU against. */
    underlayMtu: z.number().int().min(576).max(9216).default(1500),
    /** Ranges the pod CIDR must not touch besides the nodes' own (Docker's default bridge is always one). */
    reserved: z.array(Cidr4).default([]),
    nodes: z.array(FleetNode).min(1, "a fleet needs at least one node"),
    /** Docker bridge networks across the fleet's Docker hosts (no Kubernetes needed). */
    docker: DockerFleetSpec.optional(),
  }),
);

type FleetSpecShape = z.infer<typeof FleetSpecShape>;
type Report = (path: PropertyKey[], message: string) => void;

/** The pod fabric's part of a fleet: present when the spec has a pod CIDR. */
export interface PodFabric {
  podCidr: string;
  backend: Backend;
}

/** The spec's pod fabric, or undefined for a fleet of plain Docker hosts. */
export function podFabricOf(spec: { podCidr?: string; backend?: Backend }): PodFabric | undefined {
  return spec.podCidr && spec.backend ? { podCidr: spec.podCidr, backend: spec.backend } : undefined;
}

/** A fleet has a pod fabric (podCidr with backend), Docker networks, or both; the two pod fields come together. */
function checkParts(spec: FleetSpecShape, issue: Report): void {
  if (spec.podCidr === undefined && spec.backend === undefined && !spec.docker) {
    issue([], "a fleet needs a pod fabric (podCidr and backend), Docker networks (docker), or both; this spec has neither");
  }
  if (spec.podCidr !== undefined && spec.backend === undefined) issue(["backend"], `is required with podCidr: how nodes reach each other's pod subnets ({"type": "host-gw"} or {"type": "vxlan"})`);
  if (spec.podCidr === undefined && spec.backend !== undefined) issue(["podCidr"], "is required with backend: the range the pod fabric gives each node a subnet of (leave both out for a fleet of plain Docker hosts)");
}

function checkPodCidr(spec: FleetSpecShape, podCidr: string, issue: Report): void {
  const pod = parseCidr(podCidr);
  if (spec.nodeSubnetPrefix < pod.prefixLength) issue(["nodeSubnetPrefix"], `must be at least the pod CIDR's prefix length (/${pod.prefixLength})`);
  else {
    const subnets = cidrSize(pod) / (1n << BigInt(32 - spec.nodeSubnetPrefix));
    if (subnets < BigInt(spec.nodes.length)) issue(["podCidr"], `${podCidr} has room for ${subnets} /${spec.nodeSubnetPrefix} node subnets, but there are ${spec.nodes.length} nodes`);
  }
  for (const reserved of [DOCKER_DEFAULT_BRIDGE, ...spec.reserved]) {
    if (cidrsOverlap(podCidr, reserved)) issue(["podCidr"], `overlaps ${reserved}${reserved === DOCKER_DEFAULT_BRIDGE ? " (Docker's default bridge, docker0)" : " (reserved)"}`);
  }
  spec.nodes.forEach((node, i) => {
    if (Ip4.safeParse(node.underlayIp).success && cidrContainsIp(podCidr, node.underlayIp)) issue(["nodes", i, "underlayIp"], `${node.underlayIp} is inside the pod CIDR ${podCidr}; the node network and the pod network must not overlap`);
  });
}

/** The desired fabric of a fleet (pods, Docker networks or both), checked for the mistakes people make. */
export const FleetSpec = lazySchema(() =>
  FleetSpecShape.superRefine((spec, ctx) => {
    const issue: Report = (path, message) => ctx.addIssue({ code: "custom", path, message });
    // zod runs this even when a field already failed; the cross-field checks need valid fields
    // (a prefix of 33 would shift by a negative count), so they wait until every field is right.
    if (!FleetSpecShape.safeParse(spec).success) return;
    checkParts(spec, issue);
    if (spec.podCidr !== undefined) checkPodCidr(spec, spec.podCidr, issue);
    const names = new Set<string>();
    const ips = new Set<string>();
    spec.nodes.forEach((node, i) => {
      if (names.has(node.name)) issue(["nodes", i, "name"], `"${node.name}" appears twice`);
      if (ips.has(node.underlayIp)) issue(["nodes", i, "underlayIp"], `${node.underlayIp} is used by two nodes`);
      names.add(node.name);
      ips.add(node.underlayIp);
    });
    if (spec.backend?.type === "vxlan" && spec.backend.mtu + VXLAN_OVERHEAD > spec.underlayMtu) {
      issue(["backend", "mtu"], `${spec.backend.mtu} + ${VXLAN_OVERHEAD} bytes of VXLAN header exceeds the underlay MTU ${spec.underlayMtu}; use at most ${spec.underlayMtu - VXLAN_OVERHEAD}`);
    }
    if (spec.docker && Array.isArray(spec.docker.networks) && Array.isArray(spec.docker.hosts)) checkDockerSpec(spec.docker, spec, issue);
  }),
);
export type FleetSpec = z.infer<typeof FleetSpec>;
export type FleetSpecInput = z.input<typeof FleetSpec>;

/** A spec error as a person reads it: `field.path: reason`. */
export interface SpecError {
  path: string;
  message: string;
}

/** Validates a spec; on failure every problem names its field. */
export function validateFleetSpec(input: unknown): { ok: true; spec: FleetSpec } | { ok: false; errors: SpecError[] } {
  const result = FleetSpec.safeParse(input);
  if (result.success) return { ok: true, spec: result.data };
  return { ok: false, errors: result.error.issues.map((i) => ({ path: i.path.join(".") || "(spec)", message: i.message })) };
}
