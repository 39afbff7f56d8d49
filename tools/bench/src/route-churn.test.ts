import { describe, expect, it } from "vitest";
import { RouteChurn } from "./route-churn.js";

const host = { netns: "n-node", dev: "cni0", net: "10.201", slots: 4 };
const pods = ["n-p0", "n-p1", "n-p2"].map((netns) => ({ netns, dev: "eth0", net: "10.200", slots: 2 }));

describe("RouteChurn", () => {
  it("sends every hostEvery-th change to the host namespace and spreads the others over the pods in turn", () => {
    const lines = new RouteChurn(host, pods, 4).take(8);
    expect(lines.map((l) => l.netns)).toEqual(["n-node", "n-p0", "n-p1", "n-p2", "n-node", "n-p0", "n-p1", "n-p2"]);
  });

  it("adds a route to an empty slot and deletes it the next time round, so no change can fail", () => {
    const lines = new RouteChurn(host, [], 1).take(10).map((l) => l.line);
    expect(lines).toEqual([
      "route add 10.201.0.0/32 dev cni0",
      "route add 10.201.0.1/32 dev cni0",
      "route add 10.201.0.2/32 dev cni0",
      "route add 10.201.0.3/32 dev cni0",
      "route del 10.201.0.0/32 dev cni0",
      "route del 10.201.0.1/32 dev cni0",
      "route del 10.201.0.2/32 dev cni0",
      "route del 10.201.0.3/32 dev cni0",
      "route add 10.201.0.0/32 dev cni0",
      "route add 10.201.0.1/32 dev cni0",
    ]);
  });

  it("holds at most each namespace's slots of routes, whatever the number of changes, and counts them all", () => {
    const churn = new RouteChurn(host, pods, 10);
    const held = new Map<string, Set<string>>();
    for (let round = 0; round < 50; round++) {
      for (const { netns, line } of churn.take(37)) {
        const [verb, dst] = line.split(" ").slice(1);
        const set = held.get(netns) ?? new Set();
        if (verb === "add") expect(set.has(dst!)).toBe(false);
        else expect(set.delete(dst!)).toBe(true);
        if (verb === "add") set.add(dst!);
        held.set(netns, set);
        expect(set.size).toBeLessThanOrEqual(netns === "n-node" ? 4 : 2);
      }
    }
    expect(churn.count).toBe(50 * 37);
  });

  it("refuses a space without slots, naming it", () => {
    expect(() => new RouteChurn({ ...host, slots: 0 }, pods)).toThrow("route slots of n-node must be from 1 to 65536, not 0");
  });
});
