import { describe, expect, it } from "vitest";
import { useMigratedPglite } from "./migrated-pglite";
import { auditLog } from "../src/server/db/schema";
import { audit, auditEntries } from "../src/server/store/audit-store";
import { pruneHistory } from "../src/server/store/retention";

/** The audit log's node filter on PGlite: a node's own entries and fleet-wide ones that name it, nothing else. */
describe("auditEntries by node", () => {
  const database = useMigratedPglite("netatlas-audit-store-");

  it("matches the node's name as written: % and _ are no wildcards", async () => {
    const db = database().db;
    await audit(db, { actor: "admin", action: "apply", target: "fleet", detail: { nodes: [{ node: "edge_1" }, { node: "edgeX1" }] } });
    await audit(db, { actor: "admin", action: "apply", target: "fleet", detail: { nodes: [{ node: "edgeY1" }] } });
    await audit(db, { actor: "admin", action: "add-node", target: "edge%", detail: null });
    await audit(db, { actor: "admin", action: "add-node", target: "edge-2", detail: null });
    const targets = async (node: string) => (await auditEntries(db, { node })).map((e) => `${e.action} ${e.target}`);
    expect(await targets("edge_1")).toEqual(["apply fleet"]);
    expect(await targets("edgeY1")).toEqual(["apply fleet"]);
    expect(await targets("edge%")).toEqual(["add-node edge%"]);
    expect(await targets("edge")).toEqual([]);
  });

  it("refuses a filter with a NUL character, naming the field, instead of failing in PostgreSQL", async () => {
    const db = database().db;
    for (const field of ["action", "actor", "node"] as const) {
      await expect(auditEntries(db, { [field]: "a\u0000b" })).rejects.toThrow(`${field} has no NUL characters`);
    }
  });
});

describe("audit retention", () => {
  const database = useMigratedPglite("netatlas-audit-retention-");

  it("drops audit entries older than its own retention, and keeps the rest", async () => {
    const db = database().db;
    const now = new Date("2026-06-01T00:00:00Z");
    for (const at of ["2026-02-01T00:00:00Z", "2026-03-05T00:00:00Z"]) await db.insert(auditLog).values({ at: new Date(at), actor: "unknown", action: "sign-in-failed", target: "dashboard" });
    const pruned = await pruneHistory(db, { historyDays: 14, auditDays: 90 }, now);
    expect(pruned.audit).toBe(1);
    expect((await auditEntries(db)).map((e) => e.at.toISOString())).toEqual(["2026-03-05T00:00:00.000Z"]);
  });
});
