import { allocate, FleetSpec, nodeIntent, type NodeIntent } from "@netatlas/core";

export type LabBackend = "host-gw" | "vxlan" | "none";

export interface LabOptions {
  prefix: string;
  nodes: number;
  pods: number;
  backend: LabBackend;
  runDir: string;
  agents: boolean;
  /** How many of the nodes, the last ones, also run dockerd. */
  dockerNodes: number;
}

export const POD_CIDR = "10.244.0.0/16";
export const UNDERLAY = { cidr: "192.168.50.0/24", gateway: "192.168.50.1", prefixLength: 24 };
/** The port every pod's HTTP server listens on. */
export const POD_HTTP_PORT = 8080;

export interface LabNodePlan {
  name: string;
  underlayIp: string;
  intent: NodeIntent;
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

/** Names, underlay addresses, pod subnets and the fabric of every node, from the fleet spec. */
export function planLab(options: Pick<LabOptions, "nodes" | "backend" | "dockerNodes">): LabNodePlan[] {
  if (options.dockerNodes > options.nodes) throw new Error(`--docker-nodes ${options.dockerNodes} is more than --nodes ${options.nodes}`);
  const spec = labFleetSpec(options.nodes, options.backend);
  const allocation = allocate(spec);
  return spec.nodes.map((node, i) => {
    const intent = nodeIntent(spec, allocation, node.name);
    if (!intent.subnet || !intent.bridge) throw new Error(`the lab's fleet spec gave ${node.name} no pod subnet`);
    return { name: node.name, underlayIp: node.underlayIp, intent, subnet: intent.subnet, podMtu: intent.bridge.mtu, docker: i >= options.nodes - options.dockerNodes };
  });
}
