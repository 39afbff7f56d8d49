import { dockerFromEngine } from "../docker/from-engine.js";
import { nameFromKubernetes } from "../kubernetes/pod-list.js";
import type { NamespaceState } from "../model/namespace-state.js";
import type { NetnsSysctls } from "../model/netns.js";
import type { NodeInfo } from "../model/node-info.js";
import { SNAPSHOT_SCHEMA_VERSION, type NodeSnapshot } from "../model/snapshot.js";
import { podsFromCniCache } from "../pods/cni-cache.js";
import { withLinkNetns, type NsidTable } from "../topology/link-netns.js";
import { pairVeths } from "../topology/veth-peers.js";
import type { Link } from "../model/link.js";
import type { Netns } from "../model/netns.js";
import { netnsOf, type FoundNetns } from "./node-namespaces.js";

/** What a reader gathered on a node, as it found it: every judgement about it is assembleSnapshot's. */
export interface SnapshotParts {
  node: string;
  collectedAt: Date;
  reader: NodeSnapshot["reader"];
  info: NodeInfo;
  /** Every namespace found on the node, in the order the snapshot lists them. */
  namespaces: readonly FoundNetns[];
  /** The kernel state read from each namespace, keyed by the namespace's id; one that could not be read has none. */
  states: ReadonlyMap<number, NamespaceState>;
  /** The sysctls read inside each namespace, keyed likewise. */
  sysctls?: ReadonlyMap<number, NetnsSysctls>;
  /** What each namespace's nsids stand for, where the reader asked the kernel; pairs veths exactly. */
  nsids?: NsidTable;
  /** The files of the container runtime's CNI result cache, as read (each is checked here; a bad one is a warning). */
  cniCache?: readonly unknown[];
  /** The command name of a pod's sandbox holder (default "pause", the Kubernetes pause image's). */
  podHolderComm?: string;
  /** The API server's pods of this node, as listed (each is checked here). */
  kubernetesPods?: readonly unknown[];
  /** dockerd's containers and networks as its Engine API answered (each is checked here); absent when dockerd was not asked or not reached. */
  docker?: { containers: readonly unknown[]; networks: readonly unknown[] };
  /** What the reader could not read, and why. */
  warnings?: readonly string[];
}

/** Every namespace's links, each veth paired with its peer where the nsid table (or the ifindex heuristic) tells it. */
export function nodeLinks(states: readonly NamespaceState[], nsids: NsidTable, namespaces: readonly Netns[]): Link[] {
  return pairVeths(withLinkNetns(states.flatMap((s) => s.links), nsids), namespaces);
}

/**
 * Joins what a reader gathered into one node snapshot, deciding everything about it:
 * each namespace's kind and sysctls, the pods (the CNI cache named by the Kubernetes API)
 * and the namespaces they make pods', Docker's containers in their namespaces, and the
 * veth pairs. Its inputs were checked where they entered (the readers' typed decoders,
 * the iproute2 and nft adapters, and here the CNI cache, Kubernetes and dockerd answers),
 * so the result is not validated again.
 */
export function assembleSnapshot(parts: SnapshotParts): NodeSnapshot {
  const states = [...parts.states.values()];
  const addresses = states.flatMap((s) => s.addresses);
  const sysctlsOf = (id: number) => parts.sysctls?.get(id);
  // Pods are found by namespace (and a pod's IP in a namespace other than the host's), so the namespaces are judged first without them.
  const fromCache = podsFromCniCache(parts.cniCache ?? [], parts.namespaces.map((ns) => netnsOf(ns, sysctlsOf(ns.id))), addresses, { holderComm: parts.podHolderComm });
  const { pods, warnings: kubernetesWarnings } = nameFromKubernetes(fromCache.pods, parts.kubernetesPods ?? []);
  const podNetns = new Set(pods.flatMap((p) => (p.netns === undefined ? [] : [p.netns])));
  const namespaces = parts.namespaces.map((ns) => netnsOf(ns, sysctlsOf(ns.id), podNetns.has(ns.id)));
  const docker = parts.docker ? dockerFromEngine(parts.docker.containers, parts.docker.networks, namespaces) : { containers: [], networks: [], warnings: [] };
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    node: parts.node,
    collectedAt: parts.collectedAt.toISOString(),
    reader: parts.reader,
    info: parts.info,
    namespaces,
    links: nodeLinks(states, parts.nsids ?? new Map(), namespaces),
    addresses,
    routes: states.flatMap((s) => s.routes),
    neighbors: states.flatMap((s) => s.neighbors),
    fdb: states.flatMap((s) => s.fdb),
    nat: states.flatMap((s) => s.nat),
    filter: { chains: states.flatMap((s) => s.filter.chains), rules: states.flatMap((s) => s.filter.rules) },
    containers: docker.containers,
    dockerNetworks: docker.networks,
    pods,
    warnings: [...(parts.warnings ?? []), ...fromCache.warnings, ...kubernetesWarnings, ...docker.warnings],
  };
}
