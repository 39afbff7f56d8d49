import { describe, expect, it } from "vitest";
import { topologyGraph } from "@netatlas/core";
import { labFleet } from "../../test/lab-fleet";
import { groupedLayout } from "./grouped-layout";

const graph = topologyGraph(labFleet().map((snapshot) => ({ name: snapshot.node, snapshot })));

describe("grouped layout for large graphs", () => {
  const positions = groupedLayout(graph);
  const at = (id: string) => positions.get(id)!;

  it("places every element once, no two on one spot", () => {
    expect(positions.size).toBe(graph.elements.length);
    expect(new Set([...positions.values()].map((p) => `${p.x},${p.y}`)).size).toBe(graph.elements.length);
  });

  it("puts the pods on a bridge in a grid under that bridge", () => {
    const bridge = graph.elements.find((e) => e.node === "node1" && e.label === "bridge cni0")!;
    for (const pod of ["node1/pod/default/node1-pod1", "node1/pod/default/node1-pod2"]) {
      expect(at(pod).y).toBeGreaterThan(at(bridge.id).y);
      expect(Math.abs(at(pod).x - at(bridge.id).x)).toBeLessThan(50);
    }
  });

  it("keeps each node's elements apart from the other node's", () => {
    const xs = (node: string) => graph.elements.filter((e) => e.node === node).map((e) => at(e.id).x);
    const ys = (node: string) => graph.elements.filter((e) => e.node === node).map((e) => at(e.id).y);
    const apart = Math.max(...xs("node1")) < Math.min(...xs("node2")) || Math.max(...ys("node1")) < Math.min(...ys("node2"));
    expect(apart).toBe(true);
  });
});
