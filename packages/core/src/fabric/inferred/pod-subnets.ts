import { podKey } from "../../model/pod.js";
import type { NodeSnapshot } from "../../model/snapshot.js";
import { normalizeCidr } from "../../net/cidr.js";
import type { PodSubnet, PodSubnetSource } from "./inferred-fabric.js";

const STRENGTH: Record<PodSubnetSource, number> = { spec: 0, kubernetes: 1, "cni-cache": 2, "bridge-address": 3 };
const isSubnet = (a: { family: 4 | 6; prefixLength: number }) => a.prefixLength < (a.family === 4 ? 32 : 128);

/**
 * Each pod's address as its CNI IPAM result configured it in its namespace
 * (`10.244.1.2/24`): the prefix is the IPAM range, the node's pod subnet. A /32
 * (Calico-style) names no subnet.
 */
function fromCniResults(snapshot: NodeSnapshot): PodSubnet[] {
  const seen = new Map<string, { example: string; count: number }>();
  const podNetns = new Set(snapshot.pods.map((p) => p.netns));
  const addressOf = new Map(snapshot.addresses.filter((a) => podNetns.has(a.netns)).map((a) => [`${a.netns}/${a.address}`, a]));
  for (const pod of snapshot.pods) {
    if (pod.netns === undefined) continue;
    for (const ip of pod.ips) {
      const address = addressOf.get(`${pod.netns}/${ip}`);
      if (!address || !isSubnet(address)) continue;
      const cidr = normalizeCidr(`${ip}/${address.prefixLength}`);
      const known = seen.get(cidr);
      if (known) known.count++;
      else seen.set(cidr, { example: `pod ${podKey(pod)}'s ${address.ifname} ${ip}/${address.prefixLength}`, count: 1 });
    }
  }
  return [...seen].map(([cidr, { example, count }]) => ({
    cidr,
    source: "cni-cache" as const,
    evidence: `inferred from the CNI IPAM result of ${example}${count > 1 ? ` and ${count - 1} more pod address(es)` : ""}`,
  }));
}

/** The host namespace's bridges (by ifindex) that pods hang on: a port's peer is in a pod's namespace or a CNI one; never a Docker network's bridge. */
export function podBridgesOf(snapshot: NodeSnapshot, host: number | undefined): Set<number> {
  const podNetns = new Set([...snapshot.pods.flatMap((p) => (p.netns === undefined ? [] : [p.netns])), ...snapshot.namespaces.filter((n) => n.kind === "cni").map((n) => n.id)]);
  const dockerBridges = new Set(snapshot.dockerNetworks.flatMap((n) => (n.bridge ? [n.bridge] : [])));
  const bridges = new Set<number>();
  for (const l of snapshot.links) if (l.netns === host && l.kind === "veth" && l.master !== undefined && l.peer && podNetns.has(l.peer.netns)) bridges.add(l.master);
  for (const l of snapshot.links) if (l.netns === host && dockerBridges.has(l.name)) bridges.delete(l.ifindex);
  return bridges;
}

/**
 * The address of a bridge in the host namespace that pods hang on (a port's peer
 * is in a pod's namespace or a CNI one): the pods' gateway, so its prefix is their
 * subnet. A Docker network's bridge is the Docker network's, not the pods'.
 */
function fromPodBridges(snapshot: NodeSnapshot, host: number): PodSubnet[] {
  const podBridges = podBridgesOf(snapshot, host);
  return snapshot.addresses
    .filter((a) => a.netns === host && a.scope === "global" && isSubnet(a) && podBridges.has(a.ifindex))
    .map((a) => ({ cidr: normalizeCidr(`${a.address}/${a.prefixLength}`), source: "bridge-address" as const, evidence: `inferred from ${a.ifname} ${a.address}/${a.prefixLength}` }));
}

/** One entry per subnet: the strongest source names it; the others' evidence is kept beside. */
export function mergeBySubnet(candidates: readonly PodSubnet[]): PodSubnet[] {
  const merged = new Map<string, PodSubnet>();
  for (const c of [...candidates].sort((a, b) => STRENGTH[a.source] - STRENGTH[b.source])) {
    const known = merged.get(c.cidr);
    if (known) known.evidence += `; also ${c.evidence}`;
    else merged.set(c.cidr, { ...c });
  }
  return [...merged.values()];
}

/** The pod subnets a node's own state shows: the Kubernetes node's podCIDR when the caller knows it, the pods' CNI results, the pod bridge. */
export function observedPodSubnets(snapshot: NodeSnapshot, host: number | undefined, kubernetesPodCidrs: readonly string[] = []): PodSubnet[] {
  const kubernetes = kubernetesPodCidrs.map((c) => ({ cidr: normalizeCidr(c), source: "kubernetes" as const, evidence: `the Kubernetes node's podCIDR ${c}` }));
  return mergeBySubnet([...kubernetes, ...fromCniResults(snapshot), ...(host === undefined ? [] : fromPodBridges(snapshot, host))]);
}
