import { z } from "zod";
import { addressIdentity, containerIdentity, fdbIdentity, linkIdentity, neighborIdentity, netnsIdentity, podIdentity, routeIdentity } from "../diff/entry-identity.js";
import { lazySchema } from "../model/lazy-schema.js";
import { NodeSnapshot } from "../model/snapshot.js";

/** The lists whose entries have an identity: a change sends the entries that changed, not the list. */
const KEYED = {
  namespaces: netnsIdentity.key,
  links: linkIdentity.key,
  addresses: addressIdentity.key,
  routes: routeIdentity.key,
  neighbors: neighborIdentity.key,
  fdb: fdbIdentity.key,
  pods: podIdentity.key,
  containers: containerIdentity.key,
} as const satisfies { [K in keyof NodeSnapshot]?: (entry: never) => string };
type KeyedField = keyof typeof KEYED;
const KEYED_FIELDS = Object.keys(KEYED) as KeyedField[];

/** The entries of one list that are new or changed (`put`) and the keys of those gone. */
const ListDelta = <T extends z.ZodType>(entry: T) => z.object({ put: z.array(entry), removed: z.array(z.string()) }).strict();

/**
 * What turns one snapshot of a node into the next: for the keyed lists the entries that
 * changed, for every other field its new value. Applied to the snapshot it was made
 * from, it gives the next one (a keyed list's order may differ; its content does not).
 */
export const SnapshotDelta = lazySchema(() => {
  const shape = NodeSnapshot.shape;
  return z
    .object({
      collectedAt: shape.collectedAt,
      /** Fields other than the keyed lists, whole; `filter: null` means the snapshot has none any more. */
      set: z
        .object({
          schemaVersion: shape.schemaVersion,
          reader: shape.reader,
          info: shape.info,
          nat: shape.nat,
          filter: shape.filter.unwrap().nullable(),
          dockerNetworks: shape.dockerNetworks,
          warnings: shape.warnings,
        })
        .partial()
        .strict(),
      /** A keyed list sent whole, when its keys are not unique (the kernel allows some duplicates, e.g. appended IPv4 routes). */
      replace: z
        .object({
          namespaces: shape.namespaces,
          links: shape.links,
          addresses: shape.addresses,
          routes: shape.routes,
          neighbors: shape.neighbors,
          fdb: shape.fdb,
          pods: shape.pods,
          containers: shape.containers,
        })
        .partial()
        .strict(),
      lists: z
        .object({
          namespaces: ListDelta(shape.namespaces.element),
          links: ListDelta(shape.links.element),
          addresses: ListDelta(shape.addresses.element),
          routes: ListDelta(shape.routes.element),
          neighbors: ListDelta(shape.neighbors.element),
          fdb: ListDelta(shape.fdb.element),
          pods: ListDelta(shape.pods.element),
          containers: ListDelta(shape.containers.element),
        })
        .partial()
        .strict(),
    })
    .strict();
});
export type SnapshotDelta = z.infer<typeof SnapshotDelta>;

type WholeField = keyof SnapshotDelta["set"];
const WHOLE_FIELDS: readonly WholeField[] = ["schemaVersion", "reader", "info", "nat", "filter", "dockerNetworks", "warnings"];

const sameJson = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

function uniqueKeys<T>(list: readonly T[], key: (entry: T) => string): Map<string, T> | undefined {
  const byKey = new Map<string, T>();
  for (const entry of list) {
    const k = key(entry);
    if (byKey.has(k)) return undefined;
    byKey.set(k, entry);
  }
  return byKey;
}

/** The delta from `before` to `after` (of one node). Lists the two share by reference cost nothing. */
export function snapshotDelta(before: NodeSnapshot, after: NodeSnapshot): SnapshotDelta {
  if (before.node !== after.node) throw new Error(`snapshotDelta: the snapshots are of two nodes (${before.node}, ${after.node})`);
  const delta: SnapshotDelta = { collectedAt: after.collectedAt, set: {}, replace: {}, lists: {} };
  const set = delta.set as Record<WholeField, unknown>;
  for (const field of WHOLE_FIELDS) if (!sameJson(before[field], after[field])) set[field] = after[field] ?? null;
  for (const field of KEYED_FIELDS) {
    const was = before[field] as readonly unknown[];
    const now = after[field] as readonly unknown[];
    if (was === now) continue;
    const key = KEYED[field] as (entry: unknown) => string;
    const old = uniqueKeys(was, key);
    const current = uniqueKeys(now, key);
    if (!old || !current) {
      if (!sameJson(was, now)) (delta.replace as Record<KeyedField, unknown>)[field] = now;
      continue;
    }
    const put = [...current].filter(([k, entry]) => !sameJson(old.get(k), entry)).map(([, entry]) => entry);
    const removed = [...old.keys()].filter((k) => !current.has(k));
    if (put.length || removed.length) (delta.lists as Record<KeyedField, unknown>)[field] = { put, removed };
  }
  return delta;
}

/** True when the delta changes nothing but the moment of the read. */
export function isEmptyDelta(delta: SnapshotDelta): boolean {
  return Object.keys(delta.set).length === 0 && Object.keys(delta.replace).length === 0 && Object.keys(delta.lists).length === 0;
}

/**
 * `before` with the delta applied, as a new snapshot (`before` is not changed; lists the
 * delta does not touch are shared). A keyed entry changed stays in its place; a new one
 * goes to the end.
 */
export function applySnapshotDelta(before: NodeSnapshot, delta: SnapshotDelta): NodeSnapshot {
  const next: Record<string, unknown> = { ...before, collectedAt: delta.collectedAt };
  for (const [field, value] of Object.entries(delta.set)) {
    if (value === null) delete next[field];
    else next[field] = value;
  }
  for (const [field, value] of Object.entries(delta.replace)) next[field] = value;
  for (const [field, change] of Object.entries(delta.lists) as [KeyedField, { put: unknown[]; removed: string[] }][]) {
    const key = KEYED[field] as (entry: unknown) => string;
    const removed = new Set(change.removed);
    const put = new Map(change.put.map((entry) => [key(entry), entry]));
    const list: unknown[] = [];
    for (const entry of before[field] as readonly unknown[]) {
      const k = key(entry);
      if (removed.has(k)) continue;
      const replaced = put.get(k);
      list.push(replaced ?? entry);
      put.delete(k);
    }
    list.push(...put.values());
    next[field] = list;
  }
  return next as NodeSnapshot;
}
