import type { NodeSnapshot } from "@netatlas/core";
import type { KernelRead } from "./kernel-read.js";
import { loadNetlinkAddon, netlinkAddonProblem } from "./netlink/addon.js";
import { readNetnsIds } from "./netlink/netns-ids.js";
import { readNamespaceNetlink } from "./netlink/read-namespace-netlink.js";
import { readNetnsIdsIproute2 } from "./netns-ids-iproute2.js";
import { readNamespaceIproute2 } from "./read-namespace-iproute2.js";

export type ReaderChoice = "auto" | "netlink" | "iproute2";

/** One way of reading a namespace's kernel state into the model; both give the same NamespaceState for the same kernel state. */
export interface NamespaceReader {
  kind: NodeSnapshot["reader"];
  /** Why the preferred reader is not used, for the snapshot's warnings. */
  note?: string;
  /** Reads the namespace at `path`, whose id (inode) is `netns`. */
  read(path: string, netns: number, timeoutMs: number): Promise<KernelRead>;
  /** What the namespace at nsPath calls each target (a path as this process sees it) by nsid; -1 where nothing, or nothing this reader can tell. */
  nsids(nsPath: string, targetPaths: string[], timeoutMs: number): Promise<number[]>;
}

const iproute2Reader: NamespaceReader = { kind: "iproute2", read: readNamespaceIproute2, nsids: readNetnsIdsIproute2 };
const netlinkReader: NamespaceReader = { kind: "netlink", read: readNamespaceNetlink, nsids: readNetnsIds };

/** The in-process rtnetlink reader when its addon is built, else iproute2 processes. */
export async function chooseNamespaceReader(choice: ReaderChoice): Promise<NamespaceReader> {
  if (choice === "iproute2") return iproute2Reader;
  if (loadNetlinkAddon()) return netlinkReader;
  return { ...iproute2Reader, note: choice === "netlink" ? `netlink reader requested but not available (${netlinkAddonProblem()}); used iproute2` : undefined };
}
