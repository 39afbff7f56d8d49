import { describe, expect, it } from "vitest";
import type { Finding } from "@netatlas/core";
import { labFleet } from "../../test/lab-fleet";
import { concernsNode, fleetPods, fleetRow, groupFindings, type NodeView } from "./aggregate";
import { formatAge } from "@netatlas/core";
import { nodeStatus } from "./status";

const [node1, node2] = labFleet();
const collected = Date.parse(node2!.collectedAt);
const finding = (code: string, severity: Finding["severity"]): Finding => ({ code, severity, message: `${code} here`, subjects: [code] });
const view = (over: Partial<NodeView>): NodeView => ({ name: "node2", url: "unix:/run/a.sock", source: "config", findings: [], ...over });

describe("fleet aggregation", () => {
  it("counts a node's pods, containers, Docker networks and findings by severity", () => {
    const row = fleetRow(view({ snapshot: node2, lastSeenAt: collected, findings: [finding("a", "error"), finding("b", "warning"), finding("c", "warning")] }), collected + 1_000, 5_000);
    expect(row).toMatchObject({ status: "up", pods: 2, deadPods: 0, containers: 4, dockerNetworks: ["bridge", "host", "labnet", "none"], snapshotAgeMs: 1_000 });
    expect(row.findings).toEqual({ critical: 0, error: 1, warning: 2, info: 0 });
  });

  it("shows a node whose last poll failed as stale with the age of its last snapshot", () => {
    const row = fleetRow(view({ snapshot: node2, lastSeenAt: collected, lastError: "agent node2: no answer within 4000 ms" }), collected + 180_000, 5_000);
    expect(row.status).toBe("stale");
    expect(formatAge(row.snapshotAgeMs!)).toBe("3 min");
  });

  it("shows a node that never answered as down", () => {
    expect(fleetRow(view({ lastError: "connect ENOENT" }), Date.now(), 5_000)).toMatchObject({ status: "down", pods: 0, dockerNetworks: [] });
  });

  it("calls a node stale when its last answer is older than two poll intervals", () => {
    expect(nodeStatus({ lastSeenAt: 0, hasSnapshot: true }, 10_001, 5_000)).toBe("stale");
    expect(nodeStatus({ lastSeenAt: 0, hasSnapshot: true }, 9_999, 5_000)).toBe("up");
  });

  it("groups the fleet's findings by code, worst first, each with its node", () => {
    const groups = groupFindings([view({ name: "a", findings: [finding("mtu", "warning")] }), view({ name: "b", findings: [finding("mtu", "warning"), finding("overlap", "critical")] })]);
    expect(groups.map((g) => [g.code, g.severity, g.items.map((i) => i.node)])).toEqual([
      ["overlap", "critical", ["b"]],
      ["mtu", "warning", ["a", "b"]],
    ]);
  });

  it("lists the findings across nodes as the fleet's, among the nodes' own, and tells which nodes they concern", () => {
    const stale: Finding = { ...finding("fabric-route-stale", "warning"), subjects: ["node1/host/flannel.1", "10.244.9.0/24"], fix: "node1: ip route del 10.244.9.0/24 via 10.244.9.0 dev flannel.1" };
    const groups = groupFindings([view({ name: "node1", findings: [finding("fabric-route-stale", "warning"), finding("overlap", "critical")] })], [stale]);
    expect(groups.map((g) => [g.code, g.items.map((i) => i.node)])).toEqual([
      ["overlap", ["node1"]],
      ["fabric-route-stale", ["node1", "fleet"]],
    ]);
    expect(groups[1]?.items[1]?.fix).toBe("node1: ip route del 10.244.9.0/24 via 10.244.9.0 dev flannel.1");
    expect([concernsNode(stale, "node1"), concernsNode(stale, "node12"), concernsNode(stale, "node2")]).toEqual([true, false, false]);
    expect(concernsNode({ ...stale, subjects: ["10.244.9.0/24"] }, "node1")).toBe(true);
  });

  it("lists every pod of the fleet with its node and whether its sandbox holder lives", () => {
    const pods = fleetPods([view({ name: "node1", snapshot: node1 }), view({ name: "node2", snapshot: node2 })]);
    expect(pods.map((p) => `${p.node} ${p.key} ${p.ips.join(",")} ${p.alive}`)).toEqual([
      "node1 default/node1-pod1 10.244.0.2 true",
      "node1 default/node1-pod2 10.244.0.3 true",
      "node2 default/node2-pod1 10.244.1.2 true",
      "node2 default/node2-pod2 10.244.1.3 true",
    ]);
    expect(pods[0]?.containers.map((c) => c.name)).toEqual(["httpd", "client"]);
  });
});
