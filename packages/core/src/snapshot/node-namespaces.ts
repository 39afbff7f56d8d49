import type { Netns, NetnsKind, NetnsSysctls } from "../model/netns.js";

/**
 * A namespace as discovery found it, nothing judged yet: the names and files it is
 * bound by, the processes in it, and where it was found.
 */
export type FoundNetns = Pick<Netns, "id" | "names" | "paths" | "processes"> & {
  /** PID 1's namespace: the node's own. */
  host: boolean;
  /** Bound in dockerd's netns directory: a container's sandbox. */
  dockerSandbox: boolean;
};

/**
 * What a namespace is to the node. A pod's namespace (per the CNI cache) is a pod's even
 * when dockerd made it (dockershim's sandboxes); containerd and CRI-O name theirs cni-<uuid>.
 */
function kindOf(found: FoundNetns, holdsPod: boolean): NetnsKind {
  if (found.host) return "host";
  if (holdsPod) return "cni";
  if (found.dockerSandbox) return "docker";
  if (found.names.some((n) => n.startsWith("cni-"))) return "cni";
  return found.names.length > 0 ? "named" : "unknown";
}

/** The namespace with its kind and the sysctls read inside it (a key absent where not read), in the schema's key order. */
export function netnsOf(found: FoundNetns, sysctls: NetnsSysctls = {}, holdsPod = false): Netns {
  const ns: Netns = { id: found.id, kind: kindOf(found, holdsPod), names: found.names, paths: found.paths, processes: found.processes };
  if (sysctls.ipForward !== undefined) ns.ipForward = sysctls.ipForward;
  if (sysctls.rpFilter !== undefined) ns.rpFilter = sysctls.rpFilter;
  if (sysctls.bridgeNfCallIptables !== undefined) ns.bridgeNfCallIptables = sysctls.bridgeNfCallIptables;
  if (sysctls.bridgeNfCallIp6tables !== undefined) ns.bridgeNfCallIp6tables = sysctls.bridgeNfCallIp6tables;
  return ns;
}
