import type { NodeSnapshot } from "../../model/snapshot.js";
import { normalizeCidr } from "../../net/cidr.js";
import { allocate, type Allocation } from "../allocate.js";
import { podFabricOf, type FleetSpec } from "../fleet-spec.js";
import { backendOf, combined } from "./backend-guess.js";
import type { DockerSubnet, InferredFabric, NodeFabric, PodSubnet, UnderlayAddress } from "./inferred-fabric.js";
import { commonPodRange } from "./pod-range.js";
import { observedPodSubnets, podBridgesOf } from "./pod-subnets.js";
import { tunnelsOf } from "./tunnels.js";
import { underlayOf } from "./underlay.js";

/** What the caller knows beyond the snapshots. */
export interface FabricKnowledge {
  /** The allocation the spec was applied with (the dashboard keeps it); else the spec is allocated afresh, keeping the subnets nodes have. */
  allocation?: Allocation;
  /** Each Kubernetes node's spec.podCIDRs, by node name, when the caller read them from the API server. */
  kubernetesPodCidrs?: Record<string, readonly string[]>;
}

const hostOf = (s: NodeSnapshot) => s.namespaces.find((n) => n.kind === "host")?.id;

function dockerSubnetsOf(snapshot: NodeSnapshot): DockerSubnet[] {
  return snapshot.dockerNetworks.flatMap((n) => (n.driver !== "bridge" ? [] : n.subnets.map((s) => ({ cidr: normalizeCidr(s.subnet), network: n.name, evidence: `Docker network ${n.name}${n.bridge ? ` (${n.bridge})` : ""}` }))));
}

/** With a spec, its allocation is the truth; what the node shows otherwise is kept to be checked against it. */
function withSpec(node: string, observed: PodSubnet[], allocated: string | undefined): Pick<NodeFabric, "podSubnets" | "outsideSpec"> {
  if (allocated === undefined) return { podSubnets: observed, outsideSpec: [] };
  const seen = observed.find((o) => o.cidr === allocated);
  const evidence = `allocated to ${node} by the fleet spec${seen ? `; also ${seen.evidence}` : ""}`;
  return { podSubnets: [{ cidr: allocated, source: "spec", evidence }], outsideSpec: observed.filter((o) => o.cidr !== allocated) };
}

/** The spec's underlay address of a node comes first (other nodes are routed to it), whether or not the node shows it yet. */
function withSpecUnderlay(inferred: UnderlayAddress[], spec: FleetSpec | undefined, snapshot: NodeSnapshot, host: number | undefined): UnderlayAddress[] {
  const node = spec?.nodes.find((n) => n.name === snapshot.node);
  if (!spec || !node) return inferred;
  const seen = inferred.find((u) => u.ip === node.underlayIp);
  const mtu = snapshot.links.find((l) => l.netns === host && l.name === node.underlayDev)?.mtu;
  const given = seen ?? { ip: node.underlayIp, prefixLength: 32, dev: node.underlayDev, mtu: mtu ?? spec.underlayMtu };
  return [given, ...inferred.filter((u) => u !== seen)];
}

/** The largest packet a node's pods send: their interfaces' MTU, else the pod bridge's. */
function podMtuOf(snapshot: NodeSnapshot, host: number | undefined): number | undefined {
  const byName = new Map(snapshot.links.map((l) => [`${l.netns}/${l.name}`, l]));
  const podLinks = snapshot.pods.flatMap((p) => byName.get(`${p.netns}/${p.ifname ?? "eth0"}`) ?? []);
  const bridges = podBridgesOf(snapshot, host);
  const mtus = podLinks.length ? podLinks.map((l) => l.mtu) : snapshot.links.filter((l) => l.netns === host && bridges.has(l.ifindex)).map((l) => l.mtu);
  return mtus.length ? Math.max(...mtus) : undefined;
}

/**
 * Each node's share of the fleet's fabric, from its snapshot alone: its pod
 * subnets (spec allocation, Kubernetes podCIDR, CNI IPAM results, pod bridge
 * address), Docker subnets, underlay addresses and tunnel endpoints, and how its
 * routes reach the other nodes (the backend). With a spec that has a pod fabric,
 * the spec's allocation gives the pod subnets and the rest is checked against it.
 * Relies on no name netatlas gives (its VXLAN device, route protocol or alias).
 */
export function inferFabric(snapshots: readonly NodeSnapshot[], spec?: FleetSpec, known: FabricKnowledge = {}): InferredFabric {
  const observed = new Map(snapshots.map((s) => [s.node, observedPodSubnets(s, hostOf(s), known.kubernetesPodCidrs?.[s.node])]));
  const fabric = spec && podFabricOf(spec);
  const allocation: Allocation = !spec || !fabric ? {} : known.allocation ?? allocate(spec, Object.fromEntries([...observed].flatMap(([node, subnets]) => (subnets[0] ? [[node, subnets[0].cidr]] : []))));
  const podSubnets = new Map(snapshots.map((s) => [s.node, withSpec(s.node, observed.get(s.node) ?? [], allocation[s.node])]));
  const owners = new Map<string, string>();
  for (const [node, { podSubnets: mine }] of podSubnets) for (const s of mine) owners.set(s.cidr, node);
  const all = [...owners.keys()];
  const nodes = snapshots.map((snapshot): NodeFabric => {
    const host = hostOf(snapshot);
    const pods = podSubnets.get(snapshot.node)!;
    const dockerSubnets = dockerSubnetsOf(snapshot);
    const local = [...pods.podSubnets, ...pods.outsideSpec, ...dockerSubnets].map((s) => s.cidr);
    const podMtu = podMtuOf(snapshot, host);
    return {
      node: snapshot.node,
      ...pods,
      dockerSubnets,
      underlay: withSpecUnderlay(underlayOf(snapshot, host, local), spec, snapshot, host),
      tunnels: tunnelsOf(snapshot, host),
      ...backendOf(snapshot, host, (cidr) => owners.get(cidr), all),
      ...(podMtu === undefined ? {} : { podMtu }),
    };
  });
  const podRange = fabric ? { cidr: fabric.podCidr, evidence: "the fleet spec's pod CIDR" } : commonPodRange(all);
  const unseen = Object.entries(allocation).flatMap(([node, cidr]) => (cidr && !observed.has(node) ? [{ node, cidr }] : []));
  return { nodes, backend: fabric ? fabric.backend.type : combined(new Set(nodes.map((n) => n.backend))), ...(podRange ? { podRange } : {}), fromSpec: fabric !== undefined, unseen };
}
