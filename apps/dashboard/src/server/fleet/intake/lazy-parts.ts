import type { NodeSnapshot } from "@netatlas/core";
import type { CheckedWhole } from "./intake-protocol";

/**
 * The snapshot's keys whose JSON is parsed at once: what the fleet's overview and the
 * node's summary read. The rest (links, addresses, routes, neighbours, FDB, NAT and
 * filter rules: most of a snapshot's bytes) is parsed the first time anything reads it.
 */
export const EAGER_KEYS: ReadonlySet<string> = new Set(["schemaVersion", "node", "collectedAt", "reader", "info", "namespaces", "containers", "dockerNetworks", "pods", "warnings"]);

/**
 * The snapshot the intake thread checked, its keys in their order; a key not parsed yet
 * is a property that parses its JSON when first read (and then keeps the value), so a
 * reader sees a plain NodeSnapshot either way.
 */
export function snapshotOfParts(eager: Record<string, unknown>, whole: Pick<CheckedWhole, "parts" | "keys">): NodeSnapshot {
  const snapshot: Record<string, unknown> = {};
  for (const key of whole.keys) {
    const json = whole.parts[key];
    if (json === undefined) {
      snapshot[key] = eager[key];
      continue;
    }
    let text: string | undefined = json;
    let value: unknown;
    Object.defineProperty(snapshot, key, {
      enumerable: true,
      configurable: true,
      get: () => {
        if (text !== undefined) [value, text] = [JSON.parse(text), undefined];
        return value;
      },
      set: (next: unknown) => void ([value, text] = [next, undefined]),
    });
  }
  return snapshot as unknown as NodeSnapshot;
}
