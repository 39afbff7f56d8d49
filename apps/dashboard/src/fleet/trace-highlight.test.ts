import { describe, expect, it } from "vitest";
import { prepareFleet, trace } from "@netatlas/core";
import { labFleet } from "../../test/lab-fleet";
import { topologyGraph } from "./topology-graph";
import { traceHighlight } from "./trace-highlight";

const snapshots = labFleet();
const graph = topologyGraph(snapshots.map((snapshot) => ({ name: snapshot.node, snapshot })));
const label = (id: string) => graph.elements.find((e) => e.id === id)?.label;

describe("a traced path on the topology", () => {
  it("lights up both pods, both bridges, both hosts and the VXLAN tunnel between the nodes", () => {
    const result = trace(prepareFleet(snapshots), { pod: "default/node1-pod1" }, { ip: "10.244.1.2" });
    expect(result.forward.verdict.kind).toBe("delivered");
    const lit = traceHighlight(graph, result.forward);
    expect([...lit.elements].map(label).sort()).toEqual(expect.arrayContaining(["pod default/node1-pod1", "pod default/node2-pod1", "node1 (host)", "node2 (host)"]));
    expect([...lit.elements].map(label).filter((l) => l?.startsWith("bridge") || l?.startsWith("vxlan"))).toHaveLength(4);
    expect(graph.edges.filter((e) => lit.edges.has(e.id)).map((e) => e.kind)).toContain("vxlan");
    expect(lit.decided).toEqual({ id: "node2/pod/default/node2-pod1", ok: true });
    expect(lit.notes.get("node1/pod/default/node1-pod1")).toMatch(/^#1 /);
  });

  it("does not light up the pods the packet never reaches", () => {
    const result = trace(prepareFleet(snapshots), { pod: "default/node1-pod1" }, { ip: "10.244.1.2" });
    const lit = traceHighlight(graph, result.forward);
    expect(lit.elements.has("node1/pod/default/node1-pod2")).toBe(false);
    expect(graph.edges.filter((e) => lit.edges.has(e.id)).every((e) => lit.elements.has(e.source) && lit.elements.has(e.target))).toBe(true);
  });
});
