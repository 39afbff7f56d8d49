import type { EntryCheck, NodeSnapshot } from "@netatlas/core";
import { loadNetlinkAddon, netlinkAddonProblem } from "./netlink/addon.js";
import { readNetnsIds } from "./netlink/netns-ids.js";
import { readNamespaceNetlink } from "./netlink/read-namespace-netlink.js";
import { readNetnsIdsIproute2 } from "./netns-ids-iproute2.js";
import { readNamespaceIproute2, type Iproute2Read } from "./read-namespace-iproute2.js";

export type ReaderChoice = "auto" | "netlink" | "iproute2";

export interface NamespaceReader {
  kind: NodeSnapshot["reader"];
  /** Why the preferred reader is not used, for the snapshot's warnings. */
  note?: string;
  /** iproute2's JSON is checked entry by entry; the netlink decoders' own output only once, with the whole snapshot. */
  entryCheck: EntryCheck;
  read(path: string, timeoutMs: number): Promise<Iproute2Read>;
  /** What the namespace at nsPath calls each target (a path as this process sees it) by nsid; -1 where nothing, or nothing this reader can tell. */
  nsids(nsPath: string, targetPaths: string[], timeoutMs: number): Promise<number[]>;
}

const iproute2Reader: NamespaceReader = { kind: "iproute2", entryCheck: "each", read: readNamespaceIproute2, nsids: readNetnsIdsIproute2 };
const netlinkReader: NamespaceReader = { kind: "netlink", entryCheck: "none", read: readNamespaceNetlink, nsids: readNetnsIds };

/** The in-process rtnetlink reader when its addon is built, else iproute2 processes. */
export async function chooseNamespaceReader(choice: ReaderChoice): Promise<NamespaceReader> {
  if (choice === "iproute2") return iproute2Reader;
  if (loadNetlinkAddon()) return netlinkReader;
  return { ...iproute2Reader, note: choice === "netlink" ? `netlink reader requested but not available (${netlinkAddonProblem()}); used iproute2` : undefined };
}
