export { run, CommandError, type RunOptions, type RunResult } from "./exec.js";
export { mapBounded } from "./bounded.js";
export { discoverNamespaces, DEFAULT_NETNS_DIR, DEFAULT_DOCKER_NETNS_DIR, type DiscoveredNetns, type NetnsDiscoveryOptions } from "./netns.js";
export { readNamespaceIproute2, readNftRuleset, splitJsonArrays } from "./read-namespace-iproute2.js";
export { chooseNamespaceReader, type NamespaceReader, type ReaderChoice } from "./namespace-reader.js";
export { readNodeInfo } from "./node-info.js";
export { snapshotNode, type SnapshotNodeOptions } from "./snapshot-node.js";
export { readCniCache, DEFAULT_CNI_CACHE_DIR } from "./cni-cache.js";
export { readDockerEngine, DEFAULT_DOCKER_SOCKET, type DockerEngineRead } from "./docker-engine.js";
