import { sha256 } from "@noble/hashes/sha256";
import { bytesToHex } from "@noble/hashes/utils";
import type { NodeSnapshot } from "../model/snapshot.js";

type Sha256Hex = (text: string) => string;

/** Node's own SHA-256 where core runs in Node (8x noble's on 0.5 MB); asked for at run time, so that no bundler for a browser sees it. */
function nodeSha256(): Sha256Hex | undefined {
  const builtin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.("node:crypto") as
    | { createHash(algorithm: "sha256"): { update(text: string): { digest(encoding: "hex"): string } } }
    | undefined;
  return builtin && ((text) => builtin.createHash("sha256").update(text).digest("hex"));
}

const encoder = new TextEncoder();
const sha256Hex: Sha256Hex = nodeSha256() ?? ((text) => bytesToHex(sha256(encoder.encode(text))));

// Snapshots are immutable once made (a change is a new object), so each is hashed once.
const hashes = new WeakMap<NodeSnapshot, string>();

/**
 * The content of a snapshot without the moment it was read: equal hashes mean nothing
 * changed. Made once, where the snapshot is made (the agent), and carried with it to
 * the dashboard and its store, which do not hash it again.
 */
export function snapshotHash(snapshot: NodeSnapshot): string {
  let hash = hashes.get(snapshot);
  if (!hash) {
    const { collectedAt: _at, ...content } = snapshot;
    hash = sha256Hex(JSON.stringify(content));
    hashes.set(snapshot, hash);
  }
  return hash;
}
