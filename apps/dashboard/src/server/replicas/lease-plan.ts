/** What one replica knows at a lease round: the fleet's nodes, how many replicas are live, what it holds, what others hold. */
export interface LeaseView {
  nodes: readonly string[];
  /** Live replicas, this one included. */
  live: number;
  /** The nodes this replica holds leases on now. */
  mine: readonly string[];
  /** The nodes other replicas hold unexpired leases on. */
  taken: readonly string[];
}

export interface LeasePlan {
  /** Most nodes any replica should lead: ceil(nodes / live replicas). */
  share: number;
  /** Leases to give up: of nodes no longer in the fleet, and the surplus over the share. */
  release: string[];
  /** Free nodes to try, in order, until `want` of them are claimed (another replica may win some). */
  candidates: string[];
  want: number;
}

/**
 * Shares the nodes fairly among the live replicas: each takes free nodes up to its share and
 * gives back what it holds above it, so a replica that joins gets work within two rounds and
 * one that died has its nodes spread over the others once its leases expire. `start` rotates
 * the free nodes so that replicas claiming at once mostly try different ones.
 */
export function planLeases(view: LeaseView, start = 0): LeasePlan {
  const fleet = new Set(view.nodes);
  const share = Math.ceil(view.nodes.length / Math.max(1, view.live));
  const kept = view.mine.filter((n) => fleet.has(n)).sort();
  const release = [...view.mine.filter((n) => !fleet.has(n)), ...kept.slice(share)];
  const held = new Set([...view.mine, ...view.taken]);
  const free = view.nodes.filter((n) => !held.has(n));
  const at = free.length ? start % free.length : 0;
  return { share, release, candidates: [...free.slice(at), ...free.slice(0, at)], want: Math.max(0, share - kept.length) };
}
