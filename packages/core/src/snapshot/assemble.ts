import type { Container } from "../model/container.js";
import type { DockerNetwork } from "../model/docker-network.js";
import type { Netns } from "../model/netns.js";
import type { NodeInfo } from "../model/node-info.js";
import type { Pod } from "../model/pod.js";
import { NodeSnapshot, SNAPSHOT_SCHEMA_VERSION } from "../model/snapshot.js";
import type { NamespaceState } from "../parse/namespace-dump.js";
import { withLinkNetns, type NsidTable } from "../topology/link-netns.js";
import { pairVeths } from "../topology/veth-peers.js";

export interface SnapshotParts {
  node: string;
  collectedAt: Date;
  reader: NodeSnapshot["reader"];
  info: NodeInfo;
  namespaces: Netns[];
  /** The kernel state read from each namespace, keyed by the namespace's id. */
  states: Map<number, NamespaceState>;
  /** What each namespace's nsids stand for, where the reader asked the kernel; pairs veths exactly. */
  nsids?: NsidTable;
  containers?: Container[];
  dockerNetworks?: DockerNetwork[];
  pods?: Pod[];
  warnings?: string[];
  /**
   * false when every part was built by netatlas's own typed code (the rtnetlink decoders)
   * or checked at its own boundary (nft, Docker, CNI cache): the CLI's cold path then skips
   * a second pass over every entry. Tests assert the check is the identity on such snapshots.
   */
  validate?: boolean;
}

/** Joins per-namespace reads into one node snapshot, pairs the veths, and validates the result (unless told it need not). */
export function assembleSnapshot(parts: SnapshotParts): NodeSnapshot {
  const states = [...parts.states.values()];
  const snapshot: NodeSnapshot = {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    node: parts.node,
    collectedAt: parts.collectedAt.toISOString(),
    reader: parts.reader,
    info: parts.info,
    namespaces: parts.namespaces,
    links: pairVeths(withLinkNetns(states.flatMap((s) => s.links), parts.nsids ?? new Map()), parts.namespaces),
    addresses: states.flatMap((s) => s.addresses),
    routes: states.flatMap((s) => s.routes),
    neighbors: states.flatMap((s) => s.neighbors),
    fdb: states.flatMap((s) => s.fdb),
    nat: states.flatMap((s) => s.nat),
    filter: { chains: states.flatMap((s) => s.filter.chains), rules: states.flatMap((s) => s.filter.rules) },
    containers: parts.containers ?? [],
    dockerNetworks: parts.dockerNetworks ?? [],
    pods: parts.pods ?? [],
    warnings: parts.warnings ?? [],
  };
  if (parts.validate === false) return snapshot;
  const result = NodeSnapshot.safeParse(snapshot);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`snapshot of ${parts.node} is invalid at ${issue?.path.join(".")}: ${issue?.message}`);
  }
  return result.data;
}
