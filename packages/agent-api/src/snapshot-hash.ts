import { createHash } from "node:crypto";
import type { NodeSnapshot } from "@netatlas/core";

// Snapshots are immutable once read (a new read is a new object), so each is hashed once.
const hashes = new WeakMap<NodeSnapshot, string>();

/** The content of a snapshot without the moment it was read: equal hashes mean nothing changed. */
export function snapshotHash(snapshot: NodeSnapshot): string {
  let hash = hashes.get(snapshot);
  if (!hash) {
    const { collectedAt: _at, ...content } = snapshot;
    hash = createHash("sha256").update(JSON.stringify(content)).digest("hex");
    hashes.set(snapshot, hash);
  }
  return hash;
}
