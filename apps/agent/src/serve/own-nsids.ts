import { statSync } from "node:fs";
import { readNetnsIdsSync } from "@netatlas/linux";

/** This process's namespace, as a file to enter and ask from. */
const OWN_NETNS = "/proc/self/ns/net";

/**
 * Which namespace a notification comes from. The kernel says it by the nsid our
 * namespace gave the sender (none for our own), and only asking our namespace about
 * each candidate (RTM_GETNSID) says which namespace an nsid stands for. A namespace
 * without an nsid here sends no notifications at all: it is not followed, and only a
 * read of it tells what it holds.
 */
export class OwnNsids {
  /** Our namespace's inode. */
  readonly own = statSync(OWN_NETNS).ino;
  private byNsid = new Map<number, number>();
  private followedSet = new Set<number>([this.own]);

  /** The namespace (inode) a notification with this nsid comes from, when known. */
  netnsOf(nsid: number): number | undefined {
    return nsid === -1 ? this.own : this.byNsid.get(nsid);
  }

  followed(netns: number): boolean {
    return this.followedSet.has(netns);
  }

  /** The nsid no longer stands for what it did (RTM_NEWNSID or RTM_DELNSID in our namespace): its messages wait for the next mapping. */
  forget(nsid: number): void {
    const netns = this.byNsid.get(nsid);
    this.byNsid.delete(nsid);
    if (netns !== undefined) this.followedSet.delete(netns);
  }

  /**
   * Asks our namespace for the nsid of each namespace (inode and path); returns those
   * followed now that were not before. Synchronous: the caller reads those namespaces
   * before any later notification is handled, so none of theirs falls in between.
   */
  map(namespaces: ReadonlyArray<{ id: number; path: string }>): number[] {
    const others = namespaces.filter((ns) => ns.id !== this.own);
    let ids: number[];
    try {
      ids = readNetnsIdsSync(OWN_NETNS, others.map((ns) => ns.path));
    } catch {
      // A namespace went away since it was read (its file no longer opens): ask one by one, and leave that one out.
      ids = others.map((ns) => {
        try {
          return readNetnsIdsSync(OWN_NETNS, [ns.path])[0] ?? -1;
        } catch {
          return -1;
        }
      });
    }
    const before = this.followedSet;
    this.byNsid = new Map(others.flatMap((ns, i) => ((ids[i] ?? -1) >= 0 ? [[ids[i] as number, ns.id] as const] : [])));
    this.followedSet = new Set([this.own, ...this.byNsid.values()]);
    return [...this.followedSet].filter((id) => !before.has(id));
  }
}
