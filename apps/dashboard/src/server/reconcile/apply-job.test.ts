import type { Op, Plan } from "@netatlas/core";
import { describe, expect, it } from "vitest";
import type { PlanEntry } from "../../fleet/reconcile-model";
import { applyTargets } from "./apply-job";
import type { PlanSet } from "./plan-set-store";

const route: Op = { op: "replace-route", dst: "10.244.1.0/24", via: "192.168.50.12", dev: "eth0", onlink: false, reason: "peer" };
const replace = { op: "docker-network-replace", disruptive: true, containers: [{ id: "c1", name: "web", state: "running" }], reason: "subnet changed" } as unknown as Op;
const planned = (node: string, ops: Op[]): PlanEntry => ({ node, dashboardNode: node, status: "planned", plan: { node, ops, hash: node.padEnd(64, "a"), conflicts: [] } as Plan, error: null });
const set: PlanSet = {
  id: 7,
  createdAt: "2026-01-01T00:00:00.000Z",
  author: "admin",
  kind: "spec",
  specVersion: 3,
  nodes: [planned("node1", [route]), planned("node2", [route, replace]), { node: "node3", dashboardNode: null, status: "unreachable", plan: null, error: "agent node3: connect ECONNREFUSED" }],
};

describe("applyTargets", () => {
  it("takes only reviewed plans of reachable nodes, and names why a chosen node has none", () => {
    expect(applyTargets(set, ["node1"], false)).toEqual([{ node: "node1", planHash: "node1".padEnd(64, "a"), ops: 1, allowDisruptive: false }]);
    expect(() => applyTargets(set, ["node3"], false)).toThrow("nodes: node3 has no plan in plan set 7 (agent node3: connect ECONNREFUSED)");
  });

  it("applies a node named twice once", () => {
    expect(applyTargets(set, ["node1", "node1"], false).map((t) => t.node)).toEqual(["node1"]);
  });

  it("refuses a plan with disruptive ops unless the person allowed them, and passes the allowance only where needed", () => {
    expect(() => applyTargets(set, undefined, false)).toThrow(/^allowDisruptive: node2's plan has 1 disruptive op\(s\)/);
    expect(applyTargets(set, undefined, true).map((t) => [t.node, t.allowDisruptive])).toEqual([["node1", false], ["node2", true]]);
  });
});
