import { mkdirSync, writeFileSync } from "node:fs";
import { run } from "@netatlas/linux";
import { inNode } from "./enter.js";
import { CNI_BIN_DIR } from "./paths.js";

/**
 * The pod network's conflist, as a node's /etc/cni/net.d would hold it.
 * `ipMasq`: the bridge plugin masquerades what its pods send beyond their
 * subnet; off where the fabric does its own (flannel's CNI plugin delegates so
 * when flanneld runs with --ip-masq).
 */
export function podNetworkConfig(subnet: string, mtu: number, ipMasq: boolean) {
  return {
    cniVersion: "1.0.0",
    name: "cbr0",
    plugins: [
      {
        type: "bridge",
        bridge: "cni0",
        isGateway: true,
        ipMasq,
        mtu,
        hairpinMode: true,
        ipam: { type: "host-local", ranges: [[{ subnet }]], routes: [{ dst: "0.0.0.0/0" }] },
      },
    ],
  };
}

/** containerd sets up each pod's loopback as its own network. */
const LOOPBACK_CONFIG = { cniVersion: "1.0.0", name: "cni-loopback", plugins: [{ type: "loopback" }] };

type NetworkConfig = typeof LOOPBACK_CONFIG | ReturnType<typeof podNetworkConfig>;

export interface PodSandbox {
  nodePid: number;
  containerId: string;
  netnsPath: string;
  ifName: string;
  podNamespace: string;
  podName: string;
  podUid: string;
}

export interface CniResult {
  interfaces?: Array<{ name: string; mac?: string; sandbox?: string }>;
  ips?: Array<{ address: string; gateway?: string; interface?: number }>;
}

const cniArgs = (sandbox: PodSandbox): Array<[string, string]> => [
  ["IgnoreUnknown", "1"],
  ["K8S_POD_NAMESPACE", sandbox.podNamespace],
  ["K8S_POD_NAME", sandbox.podName],
  ["K8S_POD_INFRA_CONTAINER_ID", sandbox.containerId],
  ["K8S_POD_UID", sandbox.podUid],
];

/**
 * ADD as libcni does it: each plugin of the list in turn, in the node, with the
 * network's name and version and the previous plugin's result in its config,
 * the container's facts in CNI_* variables.
 */
async function addNetwork(config: NetworkConfig, sandbox: PodSandbox): Promise<CniResult> {
  const env = {
    ...process.env,
    CNI_COMMAND: "ADD",
    CNI_CONTAINERID: sandbox.containerId,
    CNI_NETNS: sandbox.netnsPath,
    CNI_IFNAME: config.name === "cni-loopback" ? "lo" : sandbox.ifName,
    CNI_ARGS: cniArgs(sandbox).map(([k, v]) => `${k}=${v}`).join(";"),
    CNI_PATH: CNI_BIN_DIR,
  };
  let previous: CniResult | undefined;
  for (const plugin of config.plugins) {
    const stdin = JSON.stringify({ ...plugin, cniVersion: config.cniVersion, name: config.name, ...(previous ? { prevResult: previous } : {}) });
    const out = await run(inNode(sandbox.nodePid, [`${CNI_BIN_DIR}/${plugin.type}`]), { input: stdin, env, timeoutMs: 15_000 });
    previous = JSON.parse(out.stdout) as CniResult;
  }
  return previous ?? {};
}

/** The runtime's result cache entry (libcni's cniCacheV1), where the agent finds pods. */
function writeCache(cacheDir: string, config: NetworkConfig, sandbox: PodSandbox, ifName: string, result: CniResult): void {
  mkdirSync(cacheDir, { recursive: true });
  const entry = {
    kind: "cniCacheV1",
    containerId: sandbox.containerId,
    config: Buffer.from(JSON.stringify(config)).toString("base64"),
    ifName,
    networkName: config.name,
    cniArgs: cniArgs(sandbox),
    capabilityArgs: {},
    result,
  };
  writeFileSync(`${cacheDir}/${config.name}-${sandbox.containerId}-${ifName}`, JSON.stringify(entry));
}

/**
 * Attaches a pod's sandbox: loopback, then the pod network; writes both results
 * to the node's cache (reached from the host through /proc/PID/root, since the
 * node's /var/lib/cni is private to it). Returns the pod network's result.
 */
export async function attachPod(sandbox: PodSandbox, podConfig: NetworkConfig): Promise<CniResult> {
  const cacheDir = `/proc/${sandbox.nodePid}/root/var/lib/cni/results`;
  const lo = await addNetwork(LOOPBACK_CONFIG, sandbox);
  writeCache(cacheDir, LOOPBACK_CONFIG, sandbox, "lo", lo);
  const result = await addNetwork(podConfig, sandbox);
  writeCache(cacheDir, podConfig, sandbox, sandbox.ifName, result);
  return result;
}
