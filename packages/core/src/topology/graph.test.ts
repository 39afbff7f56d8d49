import { describe, expect, it } from "vitest";
import recorded from "../../test/fixtures/lab-fleet.json" with { type: "json" };
import { NodeSnapshot } from "../model/snapshot.js";
import { topologyGraph } from "./graph.js";

// Two snapshots recorded from a 2-node VXLAN lab (node2 runs dockerd with a `labnet` network).
const labFleet = () => NodeSnapshot.array().parse(recorded);

const fleet = labFleet().map((snapshot) => ({ name: snapshot.node, snapshot }));

describe("topology graph", () => {
  const graph = topologyGraph(fleet);

  it("shows each pod as one element with its containers", () => {
    const pod = graph.elements.find((e) => e.id === "node1/pod/default/node1-pod1");
    expect(pod).toMatchObject({ kind: "pod", label: "pod default/node1-pod1" });
    expect(pod?.lines).toContain("▸ httpd");
  });

  it("joins each pod's veth to the bridge it hangs on", () => {
    const bridge = graph.elements.find((e) => e.node === "node1" && e.label === "bridge cni0");
    const veths = graph.edges.filter((e) => e.kind === "veth" && (e.source === bridge?.id || e.target === bridge?.id));
    expect(veths.map((e) => (e.source === bridge?.id ? e.target : e.source)).sort()).toEqual(["node1/pod/default/node1-pod1", "node1/pod/default/node1-pod2"]);
  });

  it("draws one VXLAN tunnel between the two nodes from the FDB's underlay addresses", () => {
    const tunnels = graph.edges.filter((e) => e.kind === "vxlan");
    expect(tunnels).toHaveLength(1);
    const ends = tunnels.map((t) => [t.source, t.target].map((id) => graph.elements.find((e) => e.id === id)?.node).sort());
    expect(ends).toEqual([["node1", "node2"]]);
  });

  it("names Docker containers' namespaces by their container", () => {
    expect(graph.elements.filter((e) => e.kind === "container").map((e) => e.label).sort()).toEqual(["container node2-pause", "container node2-solo"]);
  });

  it("has no edge to an element it does not contain", () => {
    const ids = new Set(graph.elements.map((e) => e.id));
    expect(graph.edges.filter((e) => !ids.has(e.source) || !ids.has(e.target))).toEqual([]);
    expect(new Set(graph.elements.map((e) => e.id)).size).toBe(graph.elements.length);
  });
});
