import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { NodeSnapshot, snapshotHash } from "@netatlas/core";
import type { AgentPorts } from "../ports.js";
import { createAgentRouter } from "../root.js";

const [recorded] = NodeSnapshot.array().parse(JSON.parse(readFileSync(new URL("../../../core/test/fixtures/fleet-vxlan.json", import.meta.url), "utf8"))) as [NodeSnapshot];

/** An agent whose node reads as `current()` each time it is asked. */
function callerOver(current: () => NodeSnapshot) {
  const ports = { snapshot: () => Promise.resolve(current()) } as unknown as AgentPorts;
  return createAgentRouter().createCaller({ ports, scope: "read" });
}

describe("snapshotIfChanged", () => {
  it("sends the snapshot and its hash to a caller that holds none", async () => {
    const answer = await callerOver(() => recorded).snapshotIfChanged({});
    expect(answer).toEqual({ hash: snapshotHash(recorded), collectedAt: recorded.collectedAt, snapshot: recorded });
  });

  it("answers without the snapshot when only the moment of the read differs", async () => {
    const reread = { ...recorded, collectedAt: new Date(Date.parse(recorded.collectedAt) + 5_000).toISOString() };
    const answer = await callerOver(() => reread).snapshotIfChanged({ knownHash: snapshotHash(recorded) });
    expect(answer).toEqual({ hash: snapshotHash(recorded), collectedAt: reread.collectedAt, snapshot: null });
  });

  it("sends the snapshot again once its content changed", async () => {
    const changed = { ...recorded, routes: recorded.routes.slice(1) };
    const answer = await callerOver(() => changed).snapshotIfChanged({ knownHash: snapshotHash(recorded) });
    expect(answer.snapshot).toBe(changed);
    expect(answer.hash).not.toBe(snapshotHash(recorded));
  });

  it("refuses a known hash that is not a sha256, naming the field", async () => {
    await expect(callerOver(() => recorded).snapshotIfChanged({ knownHash: "abc" })).rejects.toThrow(/knownHash/);
  });
});
