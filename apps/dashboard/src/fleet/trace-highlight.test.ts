import { describe, expect, it } from "vitest";
import { prepareFleet, topologyGraph, trace, type NodeSnapshot } from "@netatlas/core";
import { dropFrom, randomDrop, withForwardRules, withRpFilter } from "../../test/firewalled-fleet";
import { labFleet } from "../../test/lab-fleet";
import { traceHighlight, verdictTone } from "./trace-highlight";

const snapshots = labFleet();
const graphOf = (fleet: NodeSnapshot[]) => topologyGraph(fleet.map((snapshot) => ({ name: snapshot.node, snapshot })));
const graph = graphOf(snapshots);
const label = (id: string) => graph.elements.find((e) => e.id === id)?.label;
const idOf = (wanted: string) => graph.elements.find((e) => e.label === wanted)!.id;
const node1ToNode2Pod = (fleet: NodeSnapshot[]) => trace(prepareFleet(fleet), { pod: "default/node1-pod1" }, { ip: "10.244.1.2", protocol: "icmp" });

describe("a traced path on the topology", () => {
  it("lights up both pods, both bridges, both hosts and the VXLAN tunnel between the nodes", () => {
    const result = trace(prepareFleet(snapshots), { pod: "default/node1-pod1" }, { ip: "10.244.1.2" });
    expect(result.forward.verdict.kind).toBe("delivered");
    const lit = traceHighlight(graph, result.forward);
    expect([...lit.elements].map(label).sort()).toEqual(expect.arrayContaining(["pod default/node1-pod1", "pod default/node2-pod1", "node1 (host)", "node2 (host)"]));
    expect([...lit.elements].map(label).filter((l) => l?.startsWith("bridge") || l?.startsWith("vxlan"))).toHaveLength(4);
    expect(graph.edges.filter((e) => lit.edges.has(e.id)).map((e) => e.kind)).toContain("vxlan");
    expect(lit.decided).toEqual({ id: "node2/pod/default/node2-pod1", tone: "ok" });
    expect(lit.undecided.size).toBe(0);
    expect(lit.notes.get("node1/pod/default/node1-pod1")).toMatch(/^#1 /);
  });

  it("does not light up the pods the packet never reaches", () => {
    const result = trace(prepareFleet(snapshots), { pod: "default/node1-pod1" }, { ip: "10.244.1.2" });
    const lit = traceHighlight(graph, result.forward);
    expect(lit.elements.has("node1/pod/default/node1-pod2")).toBe(false);
    expect(graph.edges.filter((e) => lit.edges.has(e.id)).every((e) => lit.elements.has(e.source) && lit.elements.has(e.target))).toBe(true);
  });
});

describe("a path through a firewall on the topology", () => {
  it("draws a filtered path's deciding filter hop as its namespace, in the stopped colour, with the rule's table, chain and handle in its notes, and nothing past it", () => {
    const fleet = withForwardRules({ node1: [dropFrom("10.244.0.2")] });
    const result = node1ToNode2Pod(fleet);
    expect(result.forward.verdict.kind).toBe("filtered");
    const lit = traceHighlight(graphOf(fleet), result.forward);
    expect(lit.decided).toEqual({ id: idOf("node1 (host)"), tone: "bad" });
    expect(lit.notes.get(idOf("node1 (host)"))).toContain("#5 filter: inet lab_fw forward handle 2: ip saddr 10.244.0.2 drop");
    expect([...lit.elements].map(label)).not.toContain("node2 (host)");
    expect(lit.elements.has("node2/pod/default/node2-pod1")).toBe(false);
  });

  it("draws an uncertain path's first undecided filter hop in the uncertain colour", () => {
    const fleet = withForwardRules({ node1: [randomDrop] });
    const result = node1ToNode2Pod(fleet);
    expect(result.forward.verdict.kind).toBe("uncertain");
    const lit = traceHighlight(graphOf(fleet), result.forward);
    expect(lit.decided).toEqual({ id: idOf("node1 (host)"), tone: "uncertain" });
    // The packet went on, as if the rule let it pass: the rest of the path is lit too.
    expect(lit.elements.has("node2/pod/default/node2-pod1")).toBe(true);
  });

  it("marks the undecided filter hops before the one that stopped the packet, and lights the reply path the same way", () => {
    const fleet = withForwardRules({ node1: [randomDrop], node2: [dropFrom("10.244.0.0")] });
    const result = node1ToNode2Pod(fleet);
    expect(result.forward.verdict.kind).toBe("filtered");
    const lit = traceHighlight(graphOf(fleet), result.forward);
    expect(lit.decided).toEqual({ id: idOf("node2 (host)"), tone: "bad" });
    expect([...lit.undecided]).toEqual([idOf("node1 (host)")]);

    const reply = node1ToNode2Pod(withForwardRules({ node1: [dropFrom("10.244.1.2")] }));
    expect(reply.forward.verdict.kind).toBe("delivered");
    expect(reply.reverse?.verdict.kind).toBe("filtered");
    expect(traceHighlight(graph, reply.reverse!).decided).toEqual({ id: idOf("node1 (host)"), tone: "bad" });
  });

  it("draws an rp-filtered path's reverse-path check as the namespace that refused the packet, not the interface it arrived on", () => {
    const fleet = withRpFilter("node2", 1, { dst: "10.244.0.0/32", via: "192.168.50.11", dev: "eth0" });
    const result = node1ToNode2Pod(fleet);
    expect(result.forward.verdict.kind).toBe("rp-filtered");
    const lit = traceHighlight(graphOf(fleet), result.forward);
    expect(lit.decided).toEqual({ id: idOf("node2 (host)"), tone: "bad" });
    expect(lit.notes.get(idOf("node2 (host)"))).toContain("rp-filter: 10.244.0.0/32 via 192.168.50.11 dev eth0");
  });

  it("tones verdicts: delivered ok, uncertain uncertain, every other verdict stopped", () => {
    expect(["delivered", "uncertain", "filtered", "rp-filtered", "no-route"].map((k) => verdictTone(k as never))).toEqual(["ok", "uncertain", "bad", "bad", "bad"]);
  });
});
