import { z } from "zod";
import { lazySchema } from "../../model/lazy-schema.js";

/** Where a node's pod subnet was learnt, strongest first: the fleet spec's allocation, the Kubernetes node's podCIDR, the pods' CNI IPAM results, the pod bridge's address. */
export const PodSubnetSource = lazySchema(() => z.enum(["spec", "kubernetes", "cni-cache", "bridge-address"]));
export type PodSubnetSource = z.infer<typeof PodSubnetSource>;

export const PodSubnet = lazySchema(() =>
  z.object({
    cidr: z.string(),
    source: PodSubnetSource,
    /** What it was read from, for a person: "inferred from cni0 10.244.1.1/24". */
    evidence: z.string(),
  }),
);
export type PodSubnet = z.infer<typeof PodSubnet>;

/** A Docker bridge network's subnet on one host. */
export const DockerSubnet = lazySchema(() => z.object({ cidr: z.string(), network: z.string(), evidence: z.string() }));
export type DockerSubnet = z.infer<typeof DockerSubnet>;

/** An address of the node's own network (not a pod's, a container's or a tunnel's), on the device that carries it. */
export const UnderlayAddress = lazySchema(() => z.object({ ip: z.string(), prefixLength: z.number().int(), dev: z.string(), mtu: z.number().int() }));
export type UnderlayAddress = z.infer<typeof UnderlayAddress>;

export const TunnelKind = lazySchema(() => z.enum(["vxlan", "ipip", "gre"]));
export type TunnelKind = z.infer<typeof TunnelKind>;

/** A tunnel endpoint of the host namespace: a VXLAN device (its VTEP), or an IPIP/GRE device. */
export const Tunnel = lazySchema(() =>
  z.object({
    kind: TunnelKind,
    dev: z.string(),
    /** VXLAN: the VNI and the UDP port (Linux's 8472 when the device names none). */
    vni: z.number().int().optional(),
    port: z.number().int().optional(),
    /** The underlay address it sends from, when the device is bound to one. */
    local: z.string().optional(),
    /** The device's own MAC: the inner destination other nodes must use for it. */
    mac: z.string().optional(),
    mtu: z.number().int(),
    up: z.boolean(),
    /** The underlay device it sends through, when the device names one. */
    lower: z.string().optional(),
    /** Its own addresses (flannel puts the subnet's network address on its flannel.1: the VTEP address). */
    addresses: z.array(z.string()),
  }),
);
export type Tunnel = z.infer<typeof Tunnel>;

/** How nodes reach each other's pod subnets, as their routes show it; "mixed" when they do not agree. */
export const FabricBackend = lazySchema(() => z.enum(["vxlan", "host-gw", "ipip", "gre", "none", "mixed"]));
export type FabricBackend = z.infer<typeof FabricBackend>;

/** One node's share of the fleet's fabric. */
export const NodeFabric = lazySchema(() =>
  z.object({
    node: z.string(),
    /** The pod subnets the node owns: the spec's allocation when there is a spec, else what its state shows. */
    podSubnets: z.array(PodSubnet),
    /** With a spec: pod subnets the node's state shows that the spec does not give it. */
    outsideSpec: z.array(PodSubnet),
    dockerSubnets: z.array(DockerSubnet),
    underlay: z.array(UnderlayAddress),
    tunnels: z.array(Tunnel),
    /** The tunnel its routes to other nodes' subnets go through, if they use one. */
    fabricTunnel: z.string().optional(),
    backend: FabricBackend,
    /** The largest packet its pods send: their interfaces' MTU (else the pod bridge's). */
    podMtu: z.number().int().optional(),
  }),
);
export type NodeFabric = z.infer<typeof NodeFabric>;

export const InferredFabric = lazySchema(() =>
  z.object({
    nodes: z.array(NodeFabric),
    backend: FabricBackend,
    /** The range the pod subnets are cut from: the spec's pod CIDR, else their common prefix (at least a /16). */
    podRange: z.object({ cidr: z.string(), evidence: z.string() }).optional(),
    /** Whether a fleet spec gave the pod subnets. */
    fromSpec: z.boolean(),
    /** The spec's pod subnets of nodes that sent no snapshot (down, or not yet polled): still theirs, so a route to one is not stale. */
    unseen: z.array(z.object({ node: z.string(), cidr: z.string() })).default([]),
  }),
);
export type InferredFabric = z.infer<typeof InferredFabric>;
