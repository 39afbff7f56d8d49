import { allocate, FleetSpec, nodeIntent, VXLAN_OVERHEAD, type NodeIntent } from "@netatlas/core";
import type { LabBackend, LabFabric } from "./fabric-kind.js";

export interface LabOptions {
  prefix: string;
  nodes: number;
  pods: number;
  /** Who wires the pod fabric (default netatlas). */
  fabric?: LabFabric;
  /** What carries netatlas's fabric (default vxlan); a brownfield fabric implies its own (see backendOf). */
  backend?: LabBackend;
  runDir: string;
  agents: boolean;
  /** How many of the nodes, the last ones, also run dockerd. */
  dockerNodes: number;
}

export const POD_CIDR = "10.244.0.0/16";
/** The nodes' shared network: each node's `dev` on one bridge in the underlay namespace. */
export const UNDERLAY = { cidr: "192.168.50.0/24", gateway: "192.168.50.1", prefixLength: 24, mtu: 1500, dev: "eth0" };
/** The port every pod's HTTP server listens on. */
export const POD_HTTP_PORT = 8080;

export interface LabNodePlan {
  name: string;
  underlayIp: string;
  /** The netatlas fabric's intent for the node; brownfield fabrics have none. */
  intent?: NodeIntent;
  /** The node's pod subnet and its pods' MTU (the lab always has a pod fabric). */
  subnet: string;
  podMtu: number;
  docker: boolean;
}

/** The fleet spec the lab's nodes follow: the same one netatlas reconciles against. */
export function labFleetSpec(nodes: number, backend: LabBackend): FleetSpec {
  return FleetSpec.parse({
    podCidr: POD_CIDR,
    backend: { type: backend === "vxlan" ? "vxlan" : "host-gw" },
    nodes: Array.from({ length: nodes }, (_, i) => ({ name: `node${i + 1}`, underlayIp: `192.168.50.${11 + i}` })),
  });
}

/** A brownfield fabric's pod MTU: the underlay's, less VXLAN's headers where it encapsulates (flannel's FLANNEL_MTU). */
const brownfieldPodMtu = (backend: LabBackend) => (backend === "vxlan" ? UNDERLAY.mtu - VXLAN_OVERHEAD : UNDERLAY.mtu);

/**
 * Names, underlay addresses, pod subnets and, on netatlas's fabric, the intent
 * of every node. A brownfield fabric gets its /24s the same way, as flannel
 * hands each node a lease of the pod CIDR, but no intent.
 */
export function planLab(options: Pick<LabOptions, "nodes" | "dockerNodes" | "fabric"> & { backend: LabBackend }): LabNodePlan[] {
  if (options.dockerNodes > options.nodes) throw new Error(`--docker-nodes ${options.dockerNodes} is more than --nodes ${options.nodes}`);
  const spec = labFleetSpec(options.nodes, options.backend);
  const allocation = allocate(spec);
  const netatlas = (options.fabric ?? "netatlas") === "netatlas";
  return spec.nodes.map((node, i) => {
    const docker = i >= options.nodes - options.dockerNodes;
    if (!netatlas) {
      const subnet = allocation[node.name];
      if (!subnet) throw new Error(`the lab's allocation gave ${node.name} no pod subnet`);
      return { name: node.name, underlayIp: node.underlayIp, subnet, podMtu: brownfieldPodMtu(options.backend), docker };
    }
    const intent = nodeIntent(spec, allocation, node.name);
    if (!intent.subnet || !intent.bridge) throw new Error(`the lab's fleet spec gave ${node.name} no pod subnet`);
    return { name: node.name, underlayIp: node.underlayIp, intent, subnet: intent.subnet, podMtu: intent.bridge.mtu, docker };
  });
}
