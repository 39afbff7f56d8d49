import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeSnapshot } from "@netatlas/core";
import { createAgentClient } from "@netatlas/agent-api";
import { run } from "@netatlas/linux";
import { uniquePrefix, waitFor } from "@netatlas/linux/testing";
import { inNodeNet, injectFault, readTokens, type FaultKind } from "../src/index.js";
import { buildLab, httpFromPod, leftovers, podOf, removeLab, type TestLab } from "./support.js";

// Needs root. Each lab has its own prefix and run directory and is removed in afterAll.
describe("a 3-node VXLAN lab with 4 pods per node and an agent in each node", () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await buildLab(uniquePrefix("lv"), { nodes: 3, pods: 4, backend: "vxlan", agents: true });
    console.log(`lab: 3 nodes x 4 pods, vxlan, agents: built in ${lab.buildMs} ms`);
  }, 90_000);
  afterAll(() => removeLab(lab));

  const agentOf = (node: string) => {
    const n = lab.state.nodes.find((x) => x.name === node);
    if (!n?.agent) throw new Error(`${node} has no agent`);
    return createAgentClient({ url: `unix:${n.agent.socket}`, token: readTokens(lab.state.tokenFile).read });
  };

  it("carries pod-to-pod HTTP across nodes, through the VXLAN", async () => {
    const target = podOf(lab.state, "node3-pod2").pod;
    expect(await httpFromPod(lab.state, "node1-pod1", `http://${target.ip}:8080/`)).toBe(`node3-pod2 on node3 (${target.ip})\n`);
    const back = podOf(lab.state, "node1-pod4").pod;
    expect(await httpFromPod(lab.state, "node2-pod3", `http://${back.ip}:8080/`)).toContain("node1-pod4");
  });

  it("gives each pod one namespace shared by its containers: the client reaches the server on 127.0.0.1", async () => {
    expect(await httpFromPod(lab.state, "node2-pod1", "http://127.0.0.1:8080/")).toContain("node2-pod1");
  });

  it("has each node's agent see its own pods, holders, containers, CNI IPs, bridge and VXLAN routes", async () => {
    const client = agentOf("node2");
    const snapshot: NodeSnapshot = await client.snapshot.query();
    expect(snapshot.node).toBe("node2");
    const node2 = lab.state.nodes.find((n) => n.name === "node2")!;
    expect(snapshot.pods.map((p) => [p.name, p.ips[0]]).sort()).toEqual(node2.pods.map((p) => [p.name, p.ip]).sort());
    for (const pod of snapshot.pods) {
      expect(pod.sandbox.alive).toBe(true);
      // A wget from an earlier test may still be in a cached snapshot; the pod's own two are always there.
      expect(pod.containers.map((c) => c.name)).toEqual(expect.arrayContaining(["client", "httpd"]));
    }
    const host = snapshot.namespaces.find((n) => n.kind === "host")!;
    const hostLinks = snapshot.links.filter((l) => l.netns === host.id);
    expect(hostLinks.find((l) => l.name === "cni0")?.kind).toBe("bridge");
    expect(hostLinks.find((l) => l.kind === "vxlan")?.vxlan).toMatchObject({ vni: 1, port: 8472, local: node2.underlayIp });
    const peers = lab.state.nodes.filter((n) => n.name !== "node2").map((n) => n.podCidr);
    const fabric = snapshot.routes.filter((r) => r.netns === host.id && peers.includes(r.dst));
    expect(fabric.map((r) => r.dev)).toEqual(["netatlas.1", "netatlas.1"]);
    expect(await client.findings.query()).toEqual([]);
  });

  it("lets other nodes reach each node's agent over the underlay, with a token", async () => {
    const node1 = lab.state.nodes.find((n) => n.name === "node1")!;
    const node2 = lab.state.nodes.find((n) => n.name === "node2")!;
    const health = await run(inNodeNet(node2.pid!, ["/bin/busybox", "wget", "-q", "-O-", `http://${node1.underlayIp}:7946/trpc/health`]));
    expect(JSON.parse(health.stdout)).toMatchObject({ result: { data: { status: "ok", node: "node1" } } });
    const info = await run(inNodeNet(node2.pid!, ["/bin/busybox", "wget", "-q", "-O-", `http://${node1.underlayIp}:7946/trpc/info`]), { okCodes: [1] });
    expect(info.stderr).toMatch(/401/);
  });

  const expectedFinding: Array<[FaultKind, string, string]> = [
    ["kill-pause", "node1/node1-pod2", "pod-sandbox-dead"],
    ["wrong-mtu", "node3", "mtu-mismatch"],
    ["docker-overlap", "node2", "cidr-overlap"],
    ["leak-netns", "node2", "netns-without-process"],
    ["dangling-veth", "node3", "veth-peer-missing"],
  ];

  it.each(expectedFinding)("injects %s into %s and the node's agent reports %s", async (kind, target, code) => {
    await injectFault(lab.state, kind, target);
    const client = agentOf(target.split("/")[0] as string);
    const finding = await waitFor(`a ${code} finding`, async () => (await client.findings.query()).find((f) => f.code === code), 15_000);
    expect(finding.subjects.length).toBeGreaterThan(0);
  });

  it("injects delete-route: the route to a peer's pods is gone and traffic to them fails", async () => {
    const node1 = lab.state.nodes.find((n) => n.name === "node1")!;
    const peer = lab.state.nodes.find((n) => n.name === "node2")!;
    await injectFault(lab.state, "delete-route", "node1");
    const routes = JSON.parse((await run(inNodeNet(node1.pid!, ["ip", "-j", "route", "show", peer.podCidr]))).stdout) as unknown[];
    expect(routes).toEqual([]);
    await expect(httpFromPod(lab.state, "node1-pod1", `http://${peer.pods[0]!.ip}:8080/`, 2_000)).rejects.toThrow(/timed out|exit code/);
  });

  it("goes down leaving nothing: no namespaces, processes or run directory, host links unchanged", async () => {
    const hostLinks = async () => (JSON.parse((await run(["ip", "-j", "link", "show"])).stdout) as Array<{ ifname: string }>).map((l) => l.ifname).sort();
    const before = await hostLinks();
    await removeLab(lab);
    expect(await leftovers(lab.prefix, lab.runDir)).toEqual([]);
    expect(await hostLinks()).toEqual(before);
  });
});

describe("a host-gw lab", () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await buildLab(uniquePrefix("lh"), { nodes: 2, pods: 1, backend: "host-gw", agents: false });
  }, 60_000);
  afterAll(() => removeLab(lab));

  it("routes each peer's pod subnet via the peer's underlay address, and HTTP crosses", async () => {
    const [n1, n2] = lab.state.nodes as [TestLab["state"]["nodes"][0], TestLab["state"]["nodes"][0]];
    const route = JSON.parse((await run(inNodeNet(n1.pid!, ["ip", "-j", "route", "show", n2.podCidr]))).stdout) as Array<{ gateway: string; dev: string }>;
    expect(route).toMatchObject([{ gateway: n2.underlayIp, dev: "eth0" }]);
    expect(await httpFromPod(lab.state, "node1-pod1", `http://${n2.pods[0]!.ip}:8080/`)).toContain("node2-pod1");
  });
});
