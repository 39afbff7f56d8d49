import { reachability, type NodeSnapshot } from "@netatlas/core";
import { describe, expect, it } from "vitest";
import { labFleet } from "../../test/lab-fleet";
import { reachabilityGrid } from "./reachability-grid";

describe("the matrix as the page draws it", () => {
  it("is one character per cell and the verdicts of the cells that are not delivered", () => {
    const [node1, node2] = labFleet() as [NodeSnapshot, NodeSnapshot];
    // node2 has no pod or container left to stand for it.
    const empty: NodeSnapshot = { ...node2, node: "node3", pods: [], containers: [] };
    const grid = reachabilityGrid(reachability([node1, node2, empty], { protocol: "icmp" }));
    expect(grid.nodes).toEqual(["node1", "node2", "node3"]);
    expect(grid.rows).toEqual(["-dn", "d-n", "nn-"]);
    expect(grid.problems).toEqual([
      { from: 0, to: 2, verdict: "unknown-destination" },
      { from: 1, to: 2, verdict: "unknown-destination" },
      { from: 2, to: 0, verdict: "unknown-source" },
      { from: 2, to: 1, verdict: "unknown-source" },
    ]);
    expect(grid.summary).toMatchObject({ pairs: 6, delivered: 2, noEndpoint: 4 });
  });
});
