import { describe, expect, it } from "vitest";
import { planLeases } from "./lease-plan";

const nodes = ["n1", "n2", "n3", "n4", "n5"];

describe("planLeases", () => {
  it("lets a lone replica claim every node", () => {
    expect(planLeases({ nodes, live: 1, mine: [], taken: [] })).toEqual({ share: 5, release: [], candidates: nodes, want: 5 });
  });

  it("gives back the surplus over ceil(nodes / live replicas) when a second replica joins, and claims nothing taken", () => {
    expect(planLeases({ nodes, live: 2, mine: nodes, taken: [] })).toMatchObject({ share: 3, release: ["n4", "n5"], want: 0 });
    expect(planLeases({ nodes, live: 2, mine: [], taken: ["n1", "n2", "n3"] })).toEqual({ share: 3, release: [], candidates: ["n4", "n5"], want: 3 });
  });

  it("takes a dead replica's nodes once their leases expired (they are neither mine nor taken)", () => {
    expect(planLeases({ nodes, live: 1, mine: ["n1", "n2", "n3"], taken: [] })).toEqual({ share: 5, release: [], candidates: ["n4", "n5"], want: 2 });
  });

  it("releases leases of nodes gone from the fleet", () => {
    expect(planLeases({ nodes: ["n1"], live: 1, mine: ["n1", "gone"], taken: [] })).toMatchObject({ release: ["gone"], want: 0 });
  });

  it("tries the free nodes from a rotated start, so replicas claiming at once mostly differ", () => {
    expect(planLeases({ nodes, live: 3, mine: [], taken: [] }, 7).candidates).toEqual(["n3", "n4", "n5", "n1", "n2"]);
  });
});
