import { sha256 } from "@noble/hashes/sha256";
import { bytesToHex } from "@noble/hashes/utils";
import type { NodeSnapshot } from "../model/snapshot.js";

// Snapshots are immutable once made (a change is a new object), so each is hashed once.
const hashes = new WeakMap<NodeSnapshot, string>();
const encoder = new TextEncoder();

/**
 * The content of a snapshot without the moment it was read: equal hashes mean nothing
 * changed. Made once, where the snapshot is made (the agent), and carried with it to
 * the dashboard and its store, which do not hash it again.
 */
export function snapshotHash(snapshot: NodeSnapshot): string {
  let hash = hashes.get(snapshot);
  if (!hash) {
    const { collectedAt: _at, ...content } = snapshot;
    hash = bytesToHex(sha256(encoder.encode(JSON.stringify(content))));
    hashes.set(snapshot, hash);
  }
  return hash;
}
