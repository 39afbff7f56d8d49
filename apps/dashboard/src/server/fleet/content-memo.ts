import type { FleetPoller } from "./poller";

const memos = new WeakMap<FleetPoller, Map<string, { version: number; value: unknown }>>();
/** Keys come from requests (a node, a set of nodes): a few dozen answers are kept at most. */
const MOST_KEPT = 32;

/**
 * An answer built from the fleet's snapshots alone, kept until one of them changes
 * (the poller's content version): every open Docker page asks every few seconds, and
 * a fleet of 200 Docker hosts takes ~150 ms to build it.
 */
export function memoOnContent<T>(poller: FleetPoller, key: string, build: () => T): T {
  let memo = memos.get(poller);
  if (!memo) memos.set(poller, (memo = new Map()));
  const version = poller.contentVersion();
  const kept = memo.get(key);
  if (kept?.version === version) return kept.value as T;
  const value = build();
  if (memo.size >= MOST_KEPT) memo.clear();
  memo.set(key, { version, value });
  return value;
}
