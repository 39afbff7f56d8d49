import type { NodeSnapshot } from "@netatlas/core";

/**
 * The snapshot's keys whose JSON is parsed at once: what the fleet's overview and the
 * node's summary read. The rest (links, addresses, routes, neighbours, FDB, NAT and
 * filter rules: most of a snapshot's bytes) is parsed the first time anything reads it.
 */
export const EAGER_KEYS: ReadonlySet<string> = new Set(["schemaVersion", "node", "collectedAt", "reader", "info", "namespaces", "containers", "dockerNetworks", "pods", "warnings"]);

/** JSON text that holds a checked snapshot: the value at `path` (keys, and array indexes as strings). */
export interface SnapshotText {
  text: string;
  path: readonly string[];
}

const texts = new WeakMap<object, SnapshotText>();

/**
 * A checked snapshot, its keys in their order: those in `eager` as they are, the others
 * as properties that, when first read or written, parse `source` once and become plain
 * values. A reader sees a plain NodeSnapshot either way.
 */
export function snapshotOfParts(eager: Record<string, unknown>, keys: readonly string[], source: SnapshotText): NodeSnapshot {
  const snapshot: Record<string, unknown> = {};
  const later = keys.filter((key) => !Object.hasOwn(eager, key));
  const materialize = () => {
    texts.delete(snapshot);
    const values = source.path.reduce<Record<string, unknown>>((value, key) => value[key] as Record<string, unknown>, JSON.parse(source.text) as Record<string, unknown>);
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
  texts.set(snapshot, source);
  return snapshot as unknown as NodeSnapshot;
}

/**
 * The JSON text `snapshot` was made from, while none of its parsed-later parts has been read
 * or written: a store can take the text as it is, and the parts stay unparsed (a string is
 * one object to the GC; a snapshot's parts are hundreds of thousands). Snapshots are
 * never changed in place (core's rule): a small part assigned or changed directly would
 * not be noticed here.
 */
export function textOfSnapshot(snapshot: NodeSnapshot): SnapshotText | undefined {
  return texts.get(snapshot);
}
