import { describe, expect, it } from "vitest";
import { diffSnapshots, entryChange, routeIdentity, type NodeSnapshot, type Route } from "../src/index.js";
import { fixtureSnapshot } from "./fixture-snapshot.js";

const linkLocal = (snapshot: NodeSnapshot) => snapshot.routes.filter((r) => r.dst.startsWith("fe80::") && r.table === "main");

describe("diffSnapshots", () => {
  it("tells apart the fe80::/64 route of each link, which share table, destination and metric", () => {
    const before = fixtureSnapshot();
    const node = before.namespaces.find((n) => n.names.includes("node"))!.id;
    const ofNode = linkLocal(before).filter((r) => r.netns === node);
    expect(ofNode.length).toBeGreaterThan(1);
    const gone = ofNode[1] as Route;
    const after = { ...before, routes: before.routes.filter((r) => r !== gone) };

    expect(diffSnapshots(before, after)).toEqual([{ kind: "route", action: "removed", netns: node, subject: `node: fe80::/64 dev ${gone.dev} proto kernel metric 256` }]);
  });

  it("reports FDB entries that come and go, a device's own entry apart from its bridge's", () => {
    const before = fixtureSnapshot();
    const entry = before.fdb.find((e) => e.dst)!;
    const after = { ...before, fdb: [...before.fdb.filter((e) => e !== entry), { ...entry, dst: "192.168.77.99" }] };

    expect(diffSnapshots(before, after).map((c) => `${c.kind} ${c.action} ${c.subject}`).sort()).toEqual([
      `fdb added node/${entry.dev} ${entry.mac} dst 192.168.77.99`,
      `fdb removed node/${entry.dev} ${entry.mac} dst ${entry.dst}`,
    ]);
  });

  it("says nothing of two snapshots of the same state", () => {
    expect(diffSnapshots(fixtureSnapshot(), fixtureSnapshot())).toEqual([]);
  });
});

describe("entryChange", () => {
  const route: Route = { netns: 1, family: 4, table: "main", type: "unicast", dst: "10.1.0.0/24", dev: "eth0", protocol: "boot", scope: "link", flags: [] };
  const where = () => "pod1";

  it("names an added, a removed and a changed entry as a snapshot diff would", () => {
    expect(entryChange(routeIdentity, undefined, route, where)).toEqual({ kind: "route", action: "added", netns: 1, subject: "pod1: 10.1.0.0/24 dev eth0 scope link" });
    expect(entryChange(routeIdentity, route, undefined, where)?.action).toBe("removed");
    expect(entryChange(routeIdentity, route, { ...route, protocol: "static" }, where)).toMatchObject({ action: "changed", detail: 'protocol "boot" -> "static"' });
  });

  it("has nothing to say of an entry that changed only in what a person does not see", () => {
    expect(entryChange(routeIdentity, route, { ...route, flags: ["linkdown"] }, where)).toBeUndefined();
  });
});
