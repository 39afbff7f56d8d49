import { describe, expect, it } from "vitest";
import { useMigratedPglite } from "./migrated-pglite";
import { audit, auditEntries } from "../src/server/store/audit-store";

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
});
