import { randomBytes } from "node:crypto";
import { snapshotHash, type NodeSnapshot } from "@netatlas/core";
import { describe, expect, it } from "vitest";
import type { Db } from "../src/server/db/open";
import { nodes } from "../src/server/db/schema";
import { TokenSeal } from "../src/server/secrets/token-seal";
import { upsertNode } from "../src/server/store/node-store";
import { recordState, snapshotTimeline } from "../src/server/store/snapshot-store";
import { VisitBatch } from "../src/server/store/visit-batch";
import { labFleet } from "./lab-fleet";
import { useMigratedPglite } from "./migrated-pglite";

const [base] = labFleet() as [NodeSnapshot];
const at = (iso: string) => new Date(iso);

/** "Seen" and "unchanged" marks on PGlite: gathered, the newest per node written, all in one transaction. */
describe("visit marks written in batches", () => {
  const database = useMigratedPglite("netatlas-visit-batch-");

  it("writes the newest mark of each node, many nodes' in one transaction, and resolves once written", async () => {
    const db = database().db;
    const seal = new TokenSeal(randomBytes(32));
    for (const name of ["n1", "n2", "n3"]) await upsertNode(db, { name, url: `unix:/run/${name}.sock`, source: "config" }, seal);
    await recordState(db, "n1", { snapshot: { ...base, node: "n1", collectedAt: "2026-01-01T10:00:00Z" }, hash: snapshotHash({ ...base, node: "n1" }) });
    let transactions = 0;
    const counted = new Proxy(db, { get: (target, key, receiver) => (key === "transaction" ? (...args: unknown[]) => (transactions++, (target.transaction as (...a: unknown[]) => unknown).apply(target, args)) : Reflect.get(target, key, receiver)) }) as Db;
    const batch = new VisitBatch(counted, () => undefined, 50);
    const written = Promise.all([
      batch.seenAt("n1", at("2026-01-01T10:00:01Z"), undefined),
      batch.seenAt("n2", at("2026-01-01T10:00:01Z"), "agent n2: connect ECONNREFUSED"),
      batch.seenAt("n3", at("2026-01-01T10:00:01Z"), undefined),
      batch.seenAt("n1", at("2026-01-01T10:00:02Z"), undefined),
      batch.unchangedAt("n1", at("2026-01-01T10:00:07Z")),
      batch.unchangedAt("n1", at("2026-01-01T10:00:05Z")),
    ]);
    await written;
    expect(transactions).toBe(1);
    const rows = await db.select({ name: nodes.name, lastSeenAt: nodes.lastSeenAt, lastError: nodes.lastError }).from(nodes).orderBy(nodes.name);
    expect(rows).toEqual([
      { name: "n1", lastSeenAt: at("2026-01-01T10:00:02Z"), lastError: null },
      { name: "n2", lastSeenAt: null, lastError: "agent n2: connect ECONNREFUSED" },
      { name: "n3", lastSeenAt: at("2026-01-01T10:00:01Z"), lastError: null },
    ]);
    // The newest "unchanged" wins, not the last one asked for.
    expect((await snapshotTimeline(db, "n1")).map((s) => s.lastSeenAt)).toEqual([at("2026-01-01T10:00:07Z")]);
    // A mark after a batch was written starts the next one.
    await batch.seenAt("n3", at("2026-01-01T10:00:09Z"), undefined);
    expect(transactions).toBe(2);
  });

  it("logs a batch the database refused once, and resolves its marks", async () => {
    const logged: string[] = [];
    const broken = { transaction: () => Promise.reject(new Error("connection terminated")) } as unknown as Db;
    const batch = new VisitBatch(broken, (m) => logged.push(m), 10);
    await Promise.all([batch.seenAt("n1", new Date(), undefined), batch.unchangedAt("n2", new Date())]);
    expect(logged).toEqual(['dashboard database: 1 "seen" and 1 "unchanged" marks not written: connection terminated']);
  });
});
