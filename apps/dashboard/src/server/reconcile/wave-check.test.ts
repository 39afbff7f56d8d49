import { describe, expect, it } from "vitest";
import { probePairs } from "./wave-check";

describe("probePairs", () => {
  it("rings the applied nodes, so each is probed from and to", () => {
    expect(probePairs(["a", "b"], [])).toEqual([["a", "b"], ["b", "a"]]);
    expect(probePairs(["a", "b", "c"], ["d"])).toEqual([["a", "b"], ["b", "c"], ["c", "a"]]);
  });

  it("checks one applied node against a peer already in its intent, both ways, or not at all", () => {
    expect(probePairs(["a"], ["a", "b"])).toEqual([["a", "b"], ["b", "a"]]);
    expect(probePairs(["a"], ["a"])).toEqual([]);
    expect(probePairs([], ["b"])).toEqual([]);
  });
});
