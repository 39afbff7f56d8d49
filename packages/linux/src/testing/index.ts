// Test support for tools that read the kernel: real namespaces with unique names, always removed.
export { createCniNode, uniquePrefix, type CniNode, type CniNodeOptions } from "./cni-node.js";
export { waitFor } from "./wait-for.js";
export { fakeDockerd, type DockerdAnswer, type DockerdCall, type FakeDockerd } from "./fake-dockerd.js";
