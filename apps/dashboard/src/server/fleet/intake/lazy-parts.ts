import type { NodeSnapshot } from "@netatlas/core";

/**
 * The snapshot's keys whose JSON is parsed at once: what the fleet's overview and the
 * node's summary read. The rest (links, addresses, routes, neighbours, FDB, NAT and
 * filter rules: most of a snapshot's bytes) is parsed the first time anything reads it.
 */
export const EAGER_KEYS: ReadonlySet<string> = new Set(["schemaVersion", "node", "collectedAt", "reader", "info", "namespaces", "containers", "dockerNetworks", "pods", "warnings"]);

/**
 * A checked snapshot, its keys in their order: those in `eager` as they are, the others
 * as properties that, when first read or written, parse `rest()` once (the whole snapshot,
 * or more) and become plain values. A reader sees a plain NodeSnapshot either way.
 */
export function snapshotOfParts(eager: Record<string, unknown>, keys: readonly string[], rest: () => Record<string, unknown>): NodeSnapshot {
  const snapshot: Record<string, unknown> = {};
  const later = keys.filter((key) => !Object.hasOwn(eager, key));
  const materialize = () => {
    const values = rest();
    for (const key of later) Object.defineProperty(snapshot, key, { value: values[key], writable: true, enumerable: true, configurable: true });
  };
  for (const key of keys) {
    if (Object.hasOwn(eager, key)) snapshot[key] = eager[key];
    else
      Object.defineProperty(snapshot, key, {
        enumerable: true,
        configurable: true,
        get: () => (materialize(), snapshot[key]),
        set: (value: unknown) => (materialize(), (snapshot[key] = value)),
      });
  }
  return snapshot as unknown as NodeSnapshot;
}
