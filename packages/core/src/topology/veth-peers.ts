import { linkKey, type Link, type LinkRef } from "../model/link.js";
import type { Netns } from "../model/netns.js";

/**
 * Pairs veth ends across namespaces. A veth's IFLA_LINK is its peer's ifindex and
 * IFLA_LINK_NETNSID names the peer's namespace, but only by an id local to this
 * namespace, so the peer is found by the mirror condition: a veth elsewhere whose
 * ifindex is our link index and whose link index is our ifindex. When several
 * namespaces could hold it (ifindexes repeat across namespaces), linkNetns decides
 * where a reader resolved the netnsid (on either end); else the pairing that agrees
 * with the other pairings of the same (namespace, netnsid) wins.
 */
export function pairVeths(links: readonly Link[], namespaces: readonly Netns[] = []): Link[] {
  // Veths by (ifindex, link index): a node's pods all call their end eth0 with the same
  // ifindex, so the mirror pair, not the ifindex alone, keeps the search linear.
  const pairKey = (ifindex: number, linkIndex: number) => `${ifindex}/${linkIndex}`;
  const byPair = new Map<string, Link[]>();
  for (const l of links) {
    if (l.kind !== "veth" || l.linkIndex === undefined) continue;
    const key = pairKey(l.ifindex, l.linkIndex);
    const list = byPair.get(key) ?? [];
    list.push(l);
    byPair.set(key, list);
  }
  const nsByName = new Map<string, number>();
  for (const ns of namespaces) for (const name of ns.names) nsByName.set(name, ns.id);

  const candidatesOf = (l: Link): Link[] => {
    if (l.kind !== "veth" || l.linkIndex === undefined) return [];
    const sameNs = l.linkNetnsid === undefined && l.linkNetnsName === undefined;
    const named = l.linkNetnsName === undefined ? undefined : nsByName.get(l.linkNetnsName);
    return (byPair.get(pairKey(l.linkIndex, l.ifindex)) ?? []).filter(
      (p) =>
        p !== l &&
        (sameNs ? p.netns === l.netns : p.netns !== l.netns) &&
        (named === undefined || p.netns === named) &&
        (l.linkNetns === undefined || p.netns === l.linkNetns) &&
        (p.linkNetns === undefined || p.linkNetns === l.netns),
    );
  };

  const peers = new Map<string, LinkRef>();
  const ambiguous: Array<{ link: Link; candidates: Link[] }> = [];
  // What each (namespace, netnsid) is known to point at, from unambiguous pairs.
  const nsidTarget = new Map<string, number>();
  for (const l of links) {
    const candidates = candidatesOf(l);
    if (candidates.length === 1) {
      const p = candidates[0] as Link;
      peers.set(linkKey(l), { netns: p.netns, ifindex: p.ifindex });
      if (l.linkNetnsid !== undefined) nsidTarget.set(`${l.netns}:${l.linkNetnsid}`, p.netns);
    } else if (candidates.length > 1) {
      ambiguous.push({ link: l, candidates });
    }
  }
  for (const { link, candidates } of ambiguous) {
    const known = nsidTarget.get(`${link.netns}:${link.linkNetnsid}`);
    const fromPeerSide = candidates.filter((c) => peers.get(linkKey(c))?.netns === link.netns && peers.get(linkKey(c))?.ifindex === link.ifindex);
    const chosen = fromPeerSide.length === 1 ? fromPeerSide : candidates.filter((c) => c.netns === known);
    if (chosen.length === 1) {
      const p = chosen[0] as Link;
      peers.set(linkKey(link), { netns: p.netns, ifindex: p.ifindex });
    }
  }
  return links.map((l) => {
    const peer = peers.get(linkKey(l));
    return peer ? { ...l, peer } : l;
  });
}
