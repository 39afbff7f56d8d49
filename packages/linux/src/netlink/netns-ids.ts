import { loadNetlinkAddon, netlinkAddonProblem } from "./addon.js";

/**
 * The nsid the namespace at nsPath has given each target namespace, -1 where none; in
 * this thread, no process, and no JavaScript runs meanwhile (a caller that follows
 * notifications maps their nsids and reads the namespaces in one uninterrupted stretch).
 */
export function readNetnsIdsSync(nsPath: string, targetPaths: string[]): number[] {
  const addon = loadNetlinkAddon();
  if (!addon) throw new Error(netlinkAddonProblem() ?? "the netlink addon is not available");
  return addon.nsids(nsPath, targetPaths);
}

/** readNetnsIdsSync as a NamespaceReader's nsids. */
export async function readNetnsIds(nsPath: string, targetPaths: string[]): Promise<number[]> {
  return readNetnsIdsSync(nsPath, targetPaths);
}
