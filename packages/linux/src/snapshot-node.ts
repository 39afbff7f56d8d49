import { hostname } from "node:os";
import { assembleSnapshot, mapBounded, parseNftRules, type NamespaceState, type NetnsSysctls, type NodeInfo, type NodeSnapshot } from "@netatlas/core";
import { DEFAULT_CNI_CACHE_DIR, readCniCache } from "./cni-cache.js";
import { DEFAULT_DOCKER_SOCKET, readDockerEngine } from "./docker-engine.js";
import { discoverNamespaces, type DiscoveredNetns, type NetnsDiscoveryOptions } from "./netns.js";
import { listNodePods, type KubernetesAccess } from "./kubernetes-api.js";
import { readNodeInfo } from "./node-info.js";
import { chooseNamespaceReader, type ReaderChoice } from "./namespace-reader.js";
import type { KernelRead } from "./kernel-read.js";
import { readNsidTable } from "./nsid-table.js";
import { readNftRulesetWithText } from "./read-namespace-iproute2.js";

export interface SnapshotNodeOptions extends NetnsDiscoveryOptions {
  /** The node's name in the fleet (default: the hostname). */
  nodeName?: string;
  reader?: ReaderChoice;
  /** Which namespaces' nft rulesets to read (each costs an `nft` process): the host's, all, or none. */
  nft?: "host" | "all" | "none";
  /** How many namespaces the iproute2 reader reads at once. */
  concurrency?: number;
  /** Per-command bound; a slow namespace becomes a warning, not a hang. */
  timeoutMs?: number;
  /** Host facts change rarely: a caller that keeps them passes them in. */
  info?: NodeInfo;
  /** The container runtime's CNI result cache, where pods' sandboxes and IPs are recorded. */
  cniCacheDir?: string;
  /** The command name of a pod's sandbox holder (Kubernetes' pause image runs /pause). */
  podHolderComm?: string;
  /** The Docker Engine API socket; without one, Docker's namespaces still come from the kernel. */
  dockerSocket?: string;
  /** In a cluster: the API server, to name pods and their containers as Kubernetes does. */
  kubernetes?: KubernetesAccess;
  /**
   * Namespaces whose state the caller already holds (a live view kept by notifications):
   * not read again (nor their nft), their held state and sysctls go into the snapshot.
   */
  held?: (ns: DiscoveredNetns) => HeldNamespace | undefined;
  /**
   * Read the host's nft even when its namespace is held (nft's rules are what no
   * notification tells); its rules replace the held ones and go to `onHeldRules`.
   */
  heldHostNft?: boolean;
  onHeldRules?: (ns: DiscoveredNetns, rules: Pick<NamespaceState, "nat" | "filter">) => void;
  /** Told of each namespace as it is read (not the held ones), with its nft rules where they were read, for a caller that keeps a live view. */
  onNamespaceRead?: (ns: DiscoveredNetns, read: KernelRead) => void;
}

/** A namespace's kernel state and sysctls as the caller holds them. */
export interface HeldNamespace {
  state: NamespaceState;
  sysctls: NetnsSysctls;
}

const timeoutMsOf = (options: SnapshotNodeOptions) => options.timeoutMs ?? 5_000;

function fallbackInfo(): NodeInfo {
  return { hostname: hostname(), os: "unknown", kernel: "unknown", arch: process.arch, cpus: 0, memoryBytes: 0, interfaces: [] };
}

/**
 * Reads every namespace of the node, the CNI cache, dockerd and (in a cluster) the API
 * server, and hands it all to core's assembleSnapshot, which decides what it means.
 */
export async function snapshotNode(options: SnapshotNodeOptions = {}): Promise<NodeSnapshot> {
  const warnings: string[] = [];
  const collectedAt = new Date();
  // Host facts are read in-process; started first, they overlap the namespace reads.
  const infoPromise = options.info
    ? Promise.resolve(options.info)
    : readNodeInfo().catch((error: Error) => {
        warnings.push(`host facts: ${error.message}`);
        return fallbackInfo();
      });
  const namespaces = await discoverNamespaces(options);
  const dockerSocket = options.dockerSocket ?? DEFAULT_DOCKER_SOCKET;
  const dockerPromise = readDockerEngine(dockerSocket, timeoutMsOf(options)).catch((error: Error) => {
    warnings.push(`${error.message}; Docker's containers and networks are missing from this snapshot`);
    return null;
  });
  const kubePromise = options.kubernetes
    ? listNodePods(options.kubernetes, options.nodeName ?? hostname(), timeoutMsOf(options)).catch((error: Error) => {
        warnings.push(`${error.message}; pods are named from the CNI cache only`);
        return [];
      })
    : Promise.resolve([]);
  const reader = await chooseNamespaceReader(options.reader ?? "auto");
  if (reader.note) warnings.push(reader.note);
  const timeoutMs = timeoutMsOf(options);
  const nftWanted = (ns: DiscoveredNetns) => options.nft === "all" || ((options.nft ?? "host") === "host" && ns.host);
  const readNft = (ns: DiscoveredNetns) => readNftRulesetWithText(ns.enterPath, timeoutMs).catch((e: Error) => void warnings.push(`nft in ${ns.names[0] ?? ns.id}: ${e.message}`));
  // The host's nft is a process: started before the reads, it runs beside them (and forking
  // a small heap is cheaper). With --nft all the others start in turn, a few at a time.
  const held = new Map(namespaces.flatMap((ns) => {
    const kept = options.held?.(ns);
    return kept ? [[ns.id, kept] as const] : [];
  }));
  const host = namespaces.find((ns) => ns.host && nftWanted(ns) && (!held.has(ns.id) || options.heldHostNft));
  const hostNft = host && readNft(host);

  // mapBounded keeps the input order whatever order the reads finish in (the host's waits
  // for nft): namespaces stay in discovery order, so an unchanged node hashes the same.
  const results = await mapBounded(namespaces, options.concurrency ?? 8, async (ns): Promise<HeldNamespace | undefined> => {
    const kept = held.get(ns.id);
    if (kept && ns === host) {
      const nft = await hostNft;
      if (!nft) return kept;
      const rules = parseNftRules(nft.nft, ns.id, nft.nftText);
      options.onHeldRules?.(ns, rules);
      return { ...kept, state: { ...kept.state, ...rules } };
    }
    if (kept) return kept;
    try {
      const read = await reader.read(ns.enterPath, ns.id, timeoutMs);
      const nft = ns === host ? await hostNft : nftWanted(ns) ? await readNft(ns) : undefined;
      const state = nft ? { ...read.state, ...parseNftRules(nft.nft, ns.id, nft.nftText) } : read.state;
      options.onNamespaceRead?.(ns, { ...read, state });
      return { state, sysctls: read.sysctls };
    } catch (error) {
      // A namespace can vanish between discovery and reading (a pod deleted meanwhile).
      warnings.push(`namespace ${ns.names[0] ?? ns.id} (${ns.enterPath}): ${(error as Error).message}`);
      return undefined;
    }
  });
  const states = new Map<number, NamespaceState>();
  const sysctls = new Map<number, NetnsSysctls>();
  for (const [i, ns] of namespaces.entries()) {
    const result = results[i];
    if (!result) continue;
    states.set(ns.id, result.state);
    sysctls.set(ns.id, result.sysctls);
  }
  const read = namespaces.filter((ns) => states.has(ns.id));
  // After the reads: dumping a link is what makes the kernel assign its peer namespace an nsid.
  const nsids = await readNsidTable(read, [...states.values()].flatMap((s) => s.links), (nsPath, targets) => reader.nsids(nsPath, targets, timeoutMs), warnings);

  const cache = await readCniCache(options.cniCacheDir ?? DEFAULT_CNI_CACHE_DIR);
  warnings.push(...cache.warnings);
  const [kubernetesPods, docker, info] = await Promise.all([kubePromise, dockerPromise, infoPromise]);
  return assembleSnapshot({
    node: options.nodeName ?? info.hostname,
    collectedAt,
    reader: reader.kind,
    info,
    namespaces: namespaces.map(({ enterPath: _enterPath, ...ns }) => ns),
    states,
    sysctls,
    nsids,
    cniCache: cache.entries,
    podHolderComm: options.podHolderComm,
    kubernetesPods,
    docker: docker ?? undefined,
    warnings,
  });
}
