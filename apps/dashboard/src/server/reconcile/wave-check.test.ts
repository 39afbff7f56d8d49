import type { Container, FleetSpec, NodeSnapshot, Pod } from "@netatlas/core";
import type { ProbeInput, ProbeResult } from "@netatlas/agent-api";
import { describe, expect, it } from "vitest";
import type { AgentLookup } from "./node-agents";
import type { ReconcileAgent } from "./reconcile-agent";
import { checkScopeOf, crossNodeCheck, probePairs } from "./wave-check";

const container = (name: string, netns: number, network: string, ipv4: string, state = "running"): Container => ({ id: name.padEnd(64, "0"), name, runtime: "docker", state, netns, networkMode: network, endpoints: [{ network, ipv4 }], ports: [] });
const pod = (name: string, netns: number, ip: string) => ({ namespace: "default", name, uid: name, ips: [ip], netns, sandbox: { alive: true } }) as unknown as Pod;
const node = (parts: { pods?: Pod[]; containers?: Container[] }) => ({ pods: parts.pods ?? [], containers: parts.containers ?? [] }) as unknown as NodeSnapshot;

/** Agents whose probe answers every target with 3 replies, and records what was sent from where. */
function probingAgents(sent: string[]): AgentLookup {
  const agent = {
    async probe(input: ProbeInput): Promise<ProbeResult> {
      sent.push(`${input.netns} -> ${input.target}`);
      return { node: "x", netns: Number(input.netns), target: input.target, protocol: "icmp", attempts: [{ ok: true }, { ok: true }, { ok: true }] };
    },
  } as unknown as ReconcileAgent;
  return (n) => ({ ok: true, dashboardNode: n, agent });
}

const dockerSpec = { nodes: [], underlayMtu: 1500, nodeSubnetPrefix: 24, masquerade: true, reserved: [], docker: { hosts: ["node1", "node2"], range: "172.31.0.0/16", routing: "host-gw", networks: [{ name: "labnet", subnetPrefix: 24, mtu: 1500, masquerade: true, icc: true }] } } as unknown as FleetSpec;

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

describe("crossNodeCheck", () => {
  it("on Docker hosts without a pod fabric, probes from a running container on one host to a container on a routed network of the other", async () => {
    const scope = checkScopeOf(dockerSpec);
    expect(scope).toEqual({ pods: false, docker: { hosts: ["node1", "node2"], networks: ["labnet"] } });
    const snapshots: Record<string, NodeSnapshot> = {
      node1: node({ containers: [container("stopped", 11, "labnet", "172.31.0.9", "exited"), container("on-default", 12, "bridge", "172.17.0.2"), container("web1", 13, "labnet", "172.31.0.2")] }),
      node2: node({ containers: [container("web2", 21, "labnet", "172.31.1.2")] }),
    };
    const sent: string[] = [];
    const checks = await crossNodeCheck((n) => snapshots[n], probingAgents(sent), () => [], scope)(["node1", "node2"], 1);
    expect(sent).toEqual(["13 -> 172.31.1.2", "21 -> 172.31.0.2"]);
    expect(checks.map((c) => [c.from, c.to, c.kind, c.result, c.detail])).toEqual([
      ["node1", "node2", "container", "passed", "web1 on labnet -> web2 on labnet: 3 of 3 replies"],
      ["node2", "node1", "container", "passed", "web2 on labnet -> web1 on labnet: 3 of 3 replies"],
    ]);
  });

  it("reports a pair with nothing to probe as skipped, with the reason, never as passed", async () => {
    const snapshots: Record<string, NodeSnapshot> = { node1: node({ pods: [pod("p1", 5, "10.244.0.2")] }), node2: node({}) };
    const sent: string[] = [];
    const checks = await crossNodeCheck((n) => snapshots[n], probingAgents(sent))(["node1", "node2"], 2);
    expect(sent).toEqual([]);
    expect(checks.map((c) => [c.from, c.to, c.result, c.detail])).toEqual([
      ["node1", "node2", "skipped", "node2 has no live pod with an IPv4 address to probe to"],
      ["node2", "node1", "skipped", "node2 has no live pod with an IPv4 address to probe from"],
    ]);
    const docker = await crossNodeCheck((n) => snapshots[n], probingAgents(sent), () => [], checkScopeOf(dockerSpec))(["node1", "node2"], 1);
    expect(docker.map((c) => c.result)).toEqual(["skipped", "skipped"]);
    expect(docker[0]?.detail).toBe("node1 has no running container with an IPv4 address on labnet to probe from");
  });

  it("probes pods on every pair and containers only between the spec's Docker hosts", async () => {
    const scope = checkScopeOf({ ...dockerSpec, podCidr: "10.244.0.0/16", backend: { type: "vxlan" } } as FleetSpec);
    const snapshots: Record<string, NodeSnapshot> = {
      node1: node({ pods: [pod("p1", 5, "10.244.0.2")], containers: [container("web1", 13, "labnet", "172.31.0.2")] }),
      node2: node({ pods: [pod("p2", 6, "10.244.1.2")], containers: [container("web2", 21, "labnet", "172.31.1.2")] }),
      node3: node({ pods: [pod("p3", 7, "10.244.2.2")] }),
    };
    const checks = await crossNodeCheck((n) => snapshots[n], probingAgents([]), () => [], scope)(["node1", "node2", "node3"], 2);
    expect(checks.map((c) => `${c.from}->${c.to} ${c.kind} ${c.result}`)).toEqual(["node1->node2 pod passed", "node1->node2 container passed", "node2->node3 pod passed", "node3->node1 pod passed"]);
  });
});
