import { z } from "zod";
import type { Address } from "../model/address.js";
import type { Netns } from "../model/netns.js";
import type { Pod } from "../model/pod.js";
import { lazySchema } from "../model/lazy-schema.js";

/** One file of the CNI result cache (libcni's `cniCacheV1`), as a container runtime writes it. */
export const CniCacheEntry = lazySchema(() =>
  z.object({
    kind: z.string().optional(),
    containerId: z.string(),
    ifName: z.string().optional(),
    networkName: z.string().optional(),
    cniArgs: z.array(z.tuple([z.string(), z.string()])).default([]),
    result: z
      .object({
        interfaces: z.array(z.object({ name: z.string(), mac: z.string().optional(), sandbox: z.string().optional() })).default([]),
        ips: z.array(z.object({ address: z.string(), gateway: z.string().optional(), interface: z.number().optional() })).default([]),
      })
      .default({ interfaces: [], ips: [] }),
  }),
);
export type CniCacheEntry = z.infer<typeof CniCacheEntry>;

export interface PodDiscoveryOptions {
  /** The sandbox holder's command name: the Kubernetes pause image runs /pause. */
  holderComm?: string;
}

function netnsOf(entry: CniCacheEntry, namespaces: readonly Netns[], addresses: readonly Address[]): Netns | undefined {
  const sandboxes = entry.result.interfaces.map((i) => i.sandbox).filter((s): s is string => !!s);
  const byPath = namespaces.find((ns) => sandboxes.some((s) => ns.paths.includes(s)));
  if (byPath) return byPath;
  // The sandbox path may be gone or be a /proc path; the pod's address still names its namespace.
  const ips = new Set(entry.result.ips.map((ip) => ip.address.split("/")[0]));
  const owner = addresses.find((a) => ips.has(a.address) && namespaces.find((ns) => ns.id === a.netns)?.kind !== "host");
  return owner ? namespaces.find((ns) => ns.id === owner.netns) : undefined;
}

/**
 * Pods from the CNI result cache and the namespaces' processes: the cache says
 * which sandbox got which IPs in which namespace; the processes in that namespace
 * are the holder (pause) and the containers that joined it. A pod whose holder
 * is gone has lost its network even if its containers still run.
 */
export function podsFromCniCache(entries: readonly unknown[], namespaces: readonly Netns[], addresses: readonly Address[], options: PodDiscoveryOptions = {}): { pods: Pod[]; warnings: string[] } {
  const holderComm = options.holderComm ?? "pause";
  const pods: Pod[] = [];
  const warnings: string[] = [];
  const parsed: CniCacheEntry[] = [];
  for (const raw of entries) {
    const result = CniCacheEntry.safeParse(raw);
    if (result.success) parsed.push(result.data);
    else warnings.push(`CNI cache entry skipped: ${result.error.issues[0]?.path.join(".")}: ${result.error.issues[0]?.message}`);
  }
  // containerd caches the sandbox's loopback network too: the pod is its other network.
  const hasPodNetwork = new Set(parsed.filter((e) => e.ifName !== "lo").map((e) => e.containerId));
  for (const entry of parsed) {
    if (entry.ifName === "lo" && hasPodNetwork.has(entry.containerId)) continue;
    const args = new Map(entry.cniArgs);
    const name = args.get("K8S_POD_NAME");
    if (!name) continue; // not a Kubernetes pod (e.g. a plain CNI user)
    const ns = netnsOf(entry, namespaces, addresses);
    const holder = ns?.processes.find((p) => p.comm === holderComm);
    pods.push({
      namespace: args.get("K8S_POD_NAMESPACE") ?? "default",
      name,
      uid: args.get("K8S_POD_UID"),
      sandbox: { id: entry.containerId, pid: holder?.pid, alive: holder !== undefined },
      netns: ns?.id,
      netnsPath: entry.result.interfaces.find((i) => i.sandbox)?.sandbox,
      ips: entry.result.ips.map((ip) => ip.address.split("/")[0] as string),
      ifname: entry.ifName,
      network: entry.networkName,
      containers: (ns?.processes ?? []).filter((p) => p !== holder).map((p) => ({ name: p.comm, pid: p.pid, command: p.comm })),
    });
  }
  return { pods, warnings };
}
