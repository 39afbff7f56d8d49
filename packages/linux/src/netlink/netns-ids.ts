import { loadNetlinkAddon, netlinkAddonProblem } from "./addon.js";

/** The nsid the namespace at nsPath has given each target namespace, -1 where none; in this thread, no process. */
export async function readNetnsIds(nsPath: string, targetPaths: string[]): Promise<number[]> {
  const addon = loadNetlinkAddon();
  if (!addon) throw new Error(netlinkAddonProblem() ?? "the netlink addon is not available");
  return addon.nsids(nsPath, targetPaths);
}
