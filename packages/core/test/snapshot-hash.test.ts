import { sha256 } from "@noble/hashes/sha256";
import { bytesToHex } from "@noble/hashes/utils";
import { describe, expect, it } from "vitest";
import { snapshotHash } from "../src/index.js";
import { fixtureSnapshot } from "./fixture-snapshot.js";

describe("snapshotHash", () => {
  it("is the SHA-256 of the snapshot's JSON without its moment, whichever implementation made it", () => {
    const snapshot = fixtureSnapshot();
    const { collectedAt: _at, ...content } = snapshot;
    expect(snapshotHash(snapshot)).toBe(bytesToHex(sha256(new TextEncoder().encode(JSON.stringify(content)))));
    expect(snapshotHash({ ...snapshot, collectedAt: "2030-01-01T00:00:00.000Z" })).toBe(snapshotHash(snapshot));
    expect(snapshotHash({ ...snapshot, warnings: ["changed"] })).not.toBe(snapshotHash(snapshot));
  });
});
