import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareFleet, trace, type NodeSnapshot, type TraceHop } from "@netatlas/core";
import { createAgentClient } from "@netatlas/agent-api";
import { run } from "@netatlas/linux";
import { uniquePrefix } from "@netatlas/linux/testing";
import { inNodeNet, inPod, injectFault, readTokens, type LabState } from "../src/index.js";
import { buildLab, removeLab, type TestLab } from "./support.js";

// Needs root. Each lab has its own prefix and run directory and is removed in afterAll.
// The trace runs on the snapshots the agents serve; every routing decision it makes
// is then asked of the kernel that would make it, with `ip -j route get` in that namespace.

async function fleetOf(state: LabState): Promise<NodeSnapshot[]> {
  const token = readTokens(state.tokenFile).read;
  // maxAgeMs 0: a snapshot cached from before a fault must not be traced.
  return Promise.all(state.nodes.map((n) => createAgentClient({ url: `unix:${n.agent!.socket}`, token }).snapshot.query({ maxAgeMs: 0 })));
}

/** The argv prefix that runs a command in the hop's namespace: the node's own, or one of its pods'. */
function inHopNetns(state: LabState, hop: TraceHop, argv: string[]): string[] {
  const node = state.nodes.find((n) => n.name === hop.node)!;
  if (hop.netns.label === "host") return inNodeNet(node.pid!, argv);
  const podName = hop.netns.label.replace(/^pod [^/]+\//, "");
  const pod = node.pods.find((p) => p.name === podName);
  if (!pod) throw new Error(`hop in ${hop.netns.label} on ${hop.node}: no such pod in the lab`);
  return inPod(node.pid!, pod.netns, argv);
}

/** What the kernel answers for the hop's destination: [dev, gateway]. */
async function kernelChoice(state: LabState, hop: TraceHop): Promise<[string | undefined, string | undefined]> {
  const out = JSON.parse((await run(inHopNetns(state, hop, ["ip", "-j", "route", "get", hop.packet.dst]))).stdout) as Array<{ dev?: string; gateway?: string }>;
  return [out[0]?.dev, out[0]?.gateway];
}

async function expectKernelAgrees(state: LabState, hops: TraceHop[]): Promise<number> {
  const routeHops = hops.filter((h) => h.action === "route" && h.route);
  for (const hop of routeHops) {
    expect(await kernelChoice(state, hop), `${hop.node} ${hop.netns.label}: ${hop.rule}`).toEqual([hop.route?.dev, hop.route?.via]);
  }
  return routeHops.length;
}

describe.each(["vxlan", "host-gw"] as const)("trace over a real 2-node %s lab", (backend) => {
  let lab: TestLab;
  let fleet: NodeSnapshot[];
  beforeAll(async () => {
    lab = await buildLab(uniquePrefix("tr"), { nodes: 2, pods: 2, backend, agents: true });
    fleet = await fleetOf(lab.state);
  }, 90_000);
  afterAll(() => removeLab(lab));

  it("delivers every pod pair, and each route it takes is the one the kernel picks (ip route get)", async () => {
    const index = prepareFleet(fleet);
    const pods = lab.state.nodes.flatMap((n) => n.pods);
    let checked = 0;
    for (const from of pods) {
      for (const to of pods) {
        if (from === to) continue;
        const result = trace(index, { pod: from.name }, { ip: to.ip!, port: 8080 });
        expect(result.forward.verdict.kind, `${from.name} -> ${to.name}: ${result.forward.verdict.message}`).toBe("delivered");
        expect(result.reverse?.verdict.kind).toBe("delivered");
        expect(result.asymmetric).toBe(false);
        checked += await expectKernelAgrees(lab.state, [...result.forward.hops, ...(result.reverse?.hops ?? [])]);
      }
    }
    expect(checked).toBeGreaterThan(pods.length * 4);
  }, 60_000);

  it("names the missing route after delete-route, where the kernel also falls back to the default route", async () => {
    await injectFault(lab.state, "delete-route", "node1");
    const after = await fleetOf(lab.state);
    const target = lab.state.nodes[1]!.pods[0]!;
    const result = trace(after, { pod: lab.state.nodes[0]!.pods[0]!.name }, { ip: target.ip! });
    expect(result.forward.verdict.kind).toBe("no-route");
    expect(result.forward.verdict.message).toContain(`node1 has no route to ${lab.state.nodes[1]!.podCidr} (node2's pods)`);
    await expectKernelAgrees(lab.state, result.forward.hops);
  }, 30_000);
});
