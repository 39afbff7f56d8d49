import type { Link } from "../model/link.js";

/**
 * Per namespace (inode), what each nsid it has assigned stands for (inode). An nsid is
 * local to the namespace that assigned it, so only the kernel, asked from inside that
 * namespace, can say which namespace it is; readers that can ask fill this in.
 */
export type NsidTable = ReadonlyMap<number, ReadonlyMap<number, number>>;

/**
 * For each namespace whose links name another one by nsid, the namespaces that nsid could
 * stand for among these links: those holding a link at the link index, and for a veth one
 * that points back. Asking the kernel about these alone settles every pairing the links
 * allow, without asking each namespace about every other. A link whose other end is
 * already known (from `known`) to point back at it needs no question: pairVeths pairs
 * the two from that end, so on a node of pods, once the host is asked, its pods are not.
 */
export function nsidCandidates(links: readonly Link[], known: NsidTable = new Map()): Map<number, Set<number>> {
  const byIfindex = new Map<string, Link[]>();
  const add = (key: string, l: Link) => {
    const list = byIfindex.get(key) ?? [];
    list.push(l);
    byIfindex.set(key, list);
  };
  // A veth's other end is the veth that mirrors it (ifindex and link index swapped): a
  // node's pods all have eth0 at the same ifindex, so that pair is the key, not the ifindex.
  for (const l of links) {
    add(`${l.ifindex}`, l);
    if (l.kind === "veth" && l.linkIndex !== undefined) add(`${l.ifindex}/${l.linkIndex}`, l);
  }
  const candidates = new Map<number, Set<number>>();
  for (const l of links) {
    if (l.linkNetnsid === undefined || l.linkIndex === undefined) continue;
    const others = (byIfindex.get(l.kind === "veth" ? `${l.linkIndex}/${l.ifindex}` : `${l.linkIndex}`) ?? []).filter((p) => p.netns !== l.netns);
    if (others.length === 0 || others.some((p) => p.linkNetnsid !== undefined && known.get(p.netns)?.get(p.linkNetnsid) === l.netns)) continue;
    const set = candidates.get(l.netns) ?? new Set<number>();
    for (const p of others) set.add(p.netns);
    candidates.set(l.netns, set);
  }
  return candidates;
}

/** The links with linkNetns set wherever the table knows what their linkNetnsid stands for. */
export function withLinkNetns(links: readonly Link[], nsids: NsidTable): Link[] {
  return links.map((l) => {
    const linkNetns = l.linkNetnsid === undefined ? undefined : nsids.get(l.netns)?.get(l.linkNetnsid);
    return linkNetns === undefined ? l : { ...l, linkNetns };
  });
}
