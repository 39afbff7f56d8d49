import { snapshotHash, type NodeSnapshot } from "@netatlas/core";
import type { SnapshotVersions } from "./snapshot-versions.js";

const COLLECTED_AT_KEY = '"collectedAt":';

/** A node's state as JSON, with where its `collectedAt` value is in it (when found). */
interface StateJson {
  /** The object it was made of, not kept alive by it. */
  snapshot: WeakRef<NodeSnapshot>;
  hash: string;
  json: Buffer;
  /** The snapshot's keys before collectedAt, and the value's byte range. */
  at?: { keysBefore: string; start: number; end: number };
}

// One per node: its newest state's JSON (until a newer state, see forgetStateJson).
const made = new WeakMap<SnapshotVersions, StateJson>();

/**
 * The JSON of `snapshot`, a state of the node `versions` numbers, made once per state: the
 * agent reads an unchanged node again every few seconds (a new object, a new collectedAt,
 * the same hash), and such a read costs a copy of the JSON with its collectedAt, not a
 * serialisation of ~0.5 MB.
 */
export function stateJson(versions: SnapshotVersions, snapshot: NodeSnapshot): Buffer {
  const last = made.get(versions);
  if (last?.snapshot.deref() === snapshot) return last.json;
  const hash = snapshotHash(snapshot);
  const next = (last?.hash === hash && withCollectedAt(last, snapshot)) || serialised(snapshot, hash);
  made.set(versions, next);
  return next.json;
}

function serialised(snapshot: NodeSnapshot, hash: string): StateJson {
  const json = Buffer.from(JSON.stringify(snapshot));
  const keys = Object.keys(snapshot);
  const index = keys.indexOf("collectedAt");
  const entry = { snapshot: new WeakRef(snapshot), hash, json };
  if (index < 0) return entry;
  const head = JSON.stringify(Object.fromEntries(keys.slice(0, index).map((k) => [k, snapshot[k as keyof NodeSnapshot]])));
  // `{"a":1}` becomes `{"a":1,"collectedAt":…`: the key starts where the head's closing brace was.
  const keyAt = head === "{}" ? 1 : Buffer.byteLength(head);
  const value = JSON.stringify(snapshot.collectedAt);
  const start = keyAt + COLLECTED_AT_KEY.length;
  const end = start + Buffer.byteLength(value);
  // Checked, not assumed: a layout this does not foresee is only serialised whole each time.
  if (json.toString("utf8", keyAt, end) !== COLLECTED_AT_KEY + value) return entry;
  return { ...entry, at: { keysBefore: keys.slice(0, index).join(), start, end } };
}

/** The same state read again: its JSON with the new collectedAt, when the keys are laid out as before. */
function withCollectedAt(last: StateJson, snapshot: NodeSnapshot): StateJson | undefined {
  if (!last.at) return undefined;
  const keys = Object.keys(snapshot);
  const index = keys.indexOf("collectedAt");
  if (index < 0 || keys.slice(0, index).join() !== last.at.keysBefore) return undefined;
  const value = Buffer.from(JSON.stringify(snapshot.collectedAt));
  const json = Buffer.concat([last.json.subarray(0, last.at.start), value, last.json.subarray(last.at.end)]);
  return { snapshot: new WeakRef(snapshot), hash: last.hash, json, at: { ...last.at, end: last.at.start + value.length } };
}

/** Lets go of the node's state JSON (its state is gone): ~0.5 MB per node not held until the next ask. */
export function forgetStateJson(versions: SnapshotVersions): void {
  made.delete(versions);
}
