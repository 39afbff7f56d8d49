import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trace, type NodeSnapshot, type TraceOptionsInput, type TraceResult } from "@netatlas/core";
import { createAgentClient, type AgentClient } from "@netatlas/agent-api";
import { run } from "@netatlas/linux";
import { uniquePrefix, waitFor } from "@netatlas/linux/testing";
import { injectFault, inPod, readTokens, type FaultKind } from "../src/index.js";
import { buildLab, podOf, removeLab, type TestLab } from "./support.js";

// Needs root. One 2-node VXLAN lab with 2 pods per node; the faults are injected one
// after another, each on a pod or node the earlier ones left alone, so none masks the
// next. Each case traces over fresh snapshots and sends a real probe, and the two must agree.
describe("trace and probe agree on every fault of `netatlas-lab fault`", { timeout: 30_000 }, () => {
  let lab: TestLab;
  let tokens: { admin: string; read: string };
  beforeAll(async () => {
    lab = await buildLab(uniquePrefix("tf"), { nodes: 2, pods: 2, backend: "vxlan", agents: true });
    tokens = readTokens(lab.state.tokenFile);
  }, 90_000);
  afterAll(() => removeLab(lab));

  const agent = (node: string, token: string): AgentClient => createAgentClient({ url: `unix:${lab.state.nodes.find((n) => n.name === node)!.agent!.socket}`, token });
  const fleet = (): Promise<NodeSnapshot[]> => Promise.all(lab.state.nodes.map((n) => agent(n.name, tokens.read).snapshot.query({ maxAgeMs: 0 })));
  const ipOf = (pod: string) => podOf(lab.state, pod).pod.ip!;
  const nodeOf = (pod: string) => lab.state.nodes.find((n) => n.pods.some((p) => p.name === pod))!.name;

  /** Traces over fresh snapshots until `seen` holds: the agents report a change once they have collected it. */
  const traceOnce = (from: string, to: string, options: TraceOptionsInput = {}) => async () => trace(await fleet(), { pod: from }, { ip: ipOf(to), protocol: "icmp" }, options);
  const traceUntil = (what: string, from: string, to: string, seen: (r: TraceResult) => boolean, options: TraceOptionsInput = {}) =>
    waitFor(what, async () => {
      const result = await traceOnce(from, to, options)();
      return seen(result) ? result : undefined;
    });

  /** ICMP echo from the pod's namespace, sent by its node's agent. */
  const ping = async (from: string, to: string) => {
    const result = await agent(nodeOf(from), tokens.admin).probe.mutate({ netns: podOf(lab.state, from).pod.netns, target: ipOf(to), count: 2, timeoutMs: 1_000 });
    return result.attempts.some((a) => a.ok);
  };
  const inject = (kind: FaultKind, target: string) => injectFault(lab.state, kind, target);
  const hopOf = (r: TraceResult) => r.forward.hops[r.forward.verdict.hop!]!;

  it("delivers between pods of one node and of two nodes, and the probe gets replies", async () => {
    for (const [from, to] of [["node1-pod1", "node1-pod2"], ["node1-pod1", "node2-pod1"]] as const) {
      const result = await traceOnce(from, to)();
      expect(result.forward.verdict.kind, result.forward.verdict.message).toBe("delivered");
      expect(result.reverse?.verdict.kind).toBe("delivered");
      expect(await ping(from, to)).toBe(true);
    }
  });

  it("docker-overlap: still delivers by cni0's more specific route, notes that the destination falls into docker0's range, and the probe gets replies", async () => {
    await inject("docker-overlap", "node1");
    const result = await traceUntil("docker0 in node1's snapshot", "node2-pod1", "node1-pod1", (r) => r.forward.verdict.message.includes("docker0"));
    expect(result.forward.verdict.kind).toBe("delivered");
    expect(result.forward.verdict.message).toContain(`${ipOf("node1-pod1")} also falls into docker0's 10.244.0.0/16 in node1 (host), shadowed there by the more specific ${lab.state.nodes[0]!.podCidr} dev cni0`);
    const shadowing = result.forward.hops.filter((h) => h.detail.includes("10.244.0.0/16 dev docker0"));
    expect(shadowing).toEqual([expect.objectContaining({ node: "node1", netns: expect.objectContaining({ label: "host" }), action: "route", interfaces: expect.arrayContaining(["cni0"]) })]);
    expect(await ping("node2-pod1", "node1-pod1")).toBe(true);
  });

  it("link-down: names the pod's eth0 that is down behind node2's bridge port, at the bridge hop, and the probe gets no reply", async () => {
    await inject("link-down", "node2/node2-pod2");
    const result = await traceUntil("node2-pod2's eth0 down in the snapshot", "node1-pod1", "node2-pod2", (r) => r.forward.verdict.kind !== "delivered");
    expect(result.forward.verdict.kind).toBe("interface-down");
    expect(result.forward.verdict.message).toMatch(/^node2: bridge port veth\w+ has no carrier .*: its peer eth0 in pod default\/node2-pod2 is down/);
    expect(hopOf(result)).toMatchObject({ node: "node2", netns: { label: "host" }, action: "bridge", interfaces: expect.arrayContaining(["cni0"]) });
    expect(await ping("node1-pod1", "node2-pod2")).toBe(false);
  });

  it("kill-pause: warns of the dead pause holder while the pod's containers keep its pinned namespace, and the probe still gets replies", async () => {
    await inject("kill-pause", "node1/node1-pod2");
    const result = await traceUntil("node1-pod2's dead holder in the snapshot", "node1-pod2", "node1-pod1", (r) => r.forward.verdict.message.includes("sandbox holder"));
    // The lab's pods live in named namespaces (/run/netns), as CNI runtimes make them: the
    // bind mount keeps the namespace, its veth and its containers' network after the holder
    // dies, until the runtime tears the sandbox down. The trace says both.
    expect(result.forward.verdict.kind).toBe("delivered");
    expect(result.forward.verdict.message).toMatch(/warning: pod default\/node1-pod2 on node1: its sandbox holder .*is dead; its containers still share the pinned namespace/);
    expect(await ping("node1-pod2", "node1-pod1")).toBe(true);
  });

  it("wrong-mtu: the trace's MTU edge is the kernel's, byte for byte, both ways: a DF probe of each size around it gets replies exactly when the trace delivers request and reply", { timeout: 120_000 }, async () => {
    await inject("wrong-mtu", "node1");
    const underlay = (r: TraceResult) => r.reverse?.verdict.kind === "mtu-too-small";
    const tooBig = await traceUntil("node1's eth0 MTU in the snapshot", "node1-pod1", "node2-pod1", underlay, { packetSize: 1_400 });
    // node1's VXLAN device sends its outer packet without DF, so the 1450-byte request leaves
    // node1's eth0 (MTU 1400) in fragments; node2's 1450-byte reply is what eth0 refuses.
    expect(tooBig.forward.verdict.kind).toBe("delivered");
    expect(tooBig.reverse!.verdict.message).toContain("node1: from node2 over the underlay, a 1450-byte packet arrives at eth0, whose MTU 1400 admits frames of IP packets up to 1404 bytes");
    expect(tooBig.reverse!.hops[tooBig.reverse!.verdict.hop!]).toMatchObject({ node: "node2", action: "underlay" });

    const snapshots = await fleet();
    const admin = agent("node1", tokens.admin);
    // A frame arriving at a veth may be its MTU plus the Ethernet header and a VLAN tag:
    // IP packets up to 1404 bytes, so 1354 bytes inside 50 bytes of VXLAN. Sizes stay within
    // the pods' MTU (1450), where busybox ping sends with DF as the trace assumes.
    const sizes = [1_340, 1_350, 1_351, 1_353, 1_354, 1_355, 1_356, 1_400, 1_450];
    for (const [from, to] of [["node1-pod1", "node2-pod1"], ["node2-pod1", "node1-pod1"]] as const) {
      const prober = agent(nodeOf(from), tokens.admin);
      const rows: string[] = [];
      for (const packetSize of sizes) {
        const traced = trace(snapshots, { pod: from }, { ip: ipOf(to), protocol: "icmp" }, { packetSize });
        const explained = traced.forward.verdict.kind === "delivered" && traced.reverse?.verdict.kind === "delivered";
        const probed = (await prober.probe.mutate({ netns: podOf(lab.state, from).pod.netns, target: ipOf(to), count: 1, timeoutMs: 1_000, packetSize })).attempts[0]!.ok;
        rows.push(`${from} -> ${to} ${packetSize} bytes: trace ${explained ? "delivered" : "dropped"}, probe ${probed ? "replied" : "no reply"}`);
        if (!explained) {
          const path = traced.forward.verdict.kind === "delivered" ? traced.reverse! : traced.forward;
          expect(path.verdict.message, `${from} ${packetSize}`).toContain("arrives at eth0, whose MTU 1400");
        }
      }
      const expected = sizes.map((size) => `${from} -> ${to} ${size} bytes: trace ${size <= 1_354 ? "delivered" : "dropped"}, probe ${size <= 1_354 ? "replied" : "no reply"}`);
      expect(rows).toEqual(expected);
    }
    await expect(admin.probe.mutate({ netns: podOf(lab.state, "node1-pod1").pod.netns, target: ipOf("node2-pod1"), count: 1, timeoutMs: 1_000, packetSize: 20_000 })).rejects.toMatchObject({ data: { code: "BAD_REQUEST" }, message: expect.stringMatching(/packetSize/) });
    await expect(admin.probe.mutate({ netns: podOf(lab.state, "node1-pod1").pod.netns, target: ipOf("node2-pod1"), count: 1, timeoutMs: 1_000, protocol: "tcp", port: 8080, packetSize: 1_000 })).rejects.toMatchObject({ data: { code: "BAD_REQUEST" }, message: expect.stringMatching(/packetSize is for icmp/) });
  });

  it("a destination pod's eth0 below its bridge port's MTU takes packets up to its MTU + 4 bytes, in the trace as in the kernel, size by size", { timeout: 60_000 }, async () => {
    const { nodePid, pod } = podOf(lab.state, "node1-pod2");
    await run(inPod(nodePid, pod.netns, ["ip", "link", "set", "eth0", "mtu", "1300"]));
    await traceUntil("node1-pod2's eth0 MTU in the snapshot", "node1-pod1", "node1-pod2", (r) => r.forward.verdict.kind === "mtu-too-small");
    const snapshots = await fleet();
    const prober = agent("node1", tokens.admin);
    const sizes = [1_290, 1_300, 1_301, 1_303, 1_304, 1_305, 1_306, 1_320];
    const rows: string[] = [];
    for (const packetSize of sizes) {
      const traced = trace(snapshots, { pod: "node1-pod1" }, { ip: ipOf("node1-pod2"), protocol: "icmp" }, { packetSize });
      const explained = traced.forward.verdict.kind === "delivered" && traced.reverse?.verdict.kind === "delivered";
      const probed = (await prober.probe.mutate({ netns: podOf(lab.state, "node1-pod1").pod.netns, target: ipOf("node1-pod2"), count: 1, timeoutMs: 1_000, packetSize })).attempts[0]!.ok;
      rows.push(`${packetSize} bytes: trace ${explained ? "delivered" : "dropped"}, probe ${probed ? "replied" : "no reply"}`);
      if (!explained) {
        expect(traced.forward.verdict.message).toContain(`a ${packetSize}-byte packet arrives at eth0, whose MTU 1300 admits frames of IP packets up to 1304 bytes`);
        expect(traced.forward.hops[traced.forward.verdict.hop!]).toMatchObject({ node: "node1", action: "veth", netns: { label: "pod default/node1-pod2" } });
      }
    }
    // The pod's reply is larger than its eth0 too, but an echo reply goes without DF: it is fragmented, not dropped.
    expect(rows).toEqual(sizes.map((size) => `${size} bytes: trace ${size <= 1_304 ? "delivered" : "dropped"}, probe ${size <= 1_304 ? "replied" : "no reply"}`));
  });

  it("delete-route: names the missing route at node2's routing hop, and the probe gets no reply", async () => {
    await inject("delete-route", "node2");
    const result = await traceUntil("node2's route deleted in the snapshot", "node2-pod1", "node1-pod1", (r) => r.forward.verdict.kind !== "delivered");
    expect(result.forward.verdict.kind).toBe("no-route");
    expect(result.forward.verdict.message).toContain(`node2 has no route to ${lab.state.nodes[0]!.podCidr} (node1's pods)`);
    expect(hopOf(result)).toMatchObject({ node: "node2", netns: { label: "host" } });
    expect(await ping("node2-pod1", "node1-pod1")).toBe(false);
  });
});
