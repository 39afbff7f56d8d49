import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeSnapshot } from "@netatlas/core";
import { createAgentClient } from "@netatlas/agent-api";
import { readDockerEngine, run } from "@netatlas/linux";
import { uniquePrefix, waitFor } from "@netatlas/linux/testing";
import { DOCKER0, dockerCgroupParent, dockerIn, inNode, LAB_DOCKER_NETWORK, labStatus, loadState, NODE_DOCKER_SOCKET, readTokens, type NodeState } from "../src/index.js";
import { buildLab, leftovers, removeLab, testRunDir, type TestLab } from "./support.js";

const cli = new URL("../bin/netatlas-lab.js", import.meta.url).pathname;

/** Cgroups that a lab's dockerds made and `down` must remove. */
const labCgroups = async (prefix: string) => (await run(["find", "/sys/fs/cgroup", "-maxdepth", "5", "-type", "d", "-name", `${dockerCgroupParent(prefix, "")}*`])).stdout;

/** What the host's firewall and forwarding look like: a Docker node must change none of it. */
async function hostNetworkState(): Promise<string> {
  const withoutComments = (text: string) => text.split("\n").filter((l) => !l.startsWith("#")).join("\n");
  const iptables = withoutComments((await run(["iptables-save"])).stdout);
  const nft = (await run(["nft", "list", "ruleset"])).stdout;
  const sysctls = (await run(["sysctl", "net.ipv4.ip_forward", "net.bridge.bridge-nf-call-iptables"], { okCodes: [0, 255] })).stdout;
  return `${iptables}\n---\n${nft}\n---\n${sysctls}`;
}

interface ContainerInspect {
  Id: string;
  Name: string;
  State: { Pid: number };
  HostConfig: { NetworkMode: string };
  NetworkSettings: { SandboxKey: string; Networks: Record<string, { IPAddress: string }> };
}
interface NetworkInspect {
  Id: string;
  Name: string;
  IPAM: { Config: Array<{ Subnet: string; Gateway?: string }> };
  Options: Record<string, string>;
  Containers: Record<string, { Name: string; IPv4Address: string }>;
}

// Needs root and Debian's docker.io. The lab has its own prefix and run directory and is removed in afterAll.
describe("a lab with a Docker node: dockerd in the node's namespaces, a Docker pod, the node's agent reading the Engine API", () => {
  let lab: TestLab;
  let hostBefore: string;
  let node: NodeState & { pid: number };
  let snapshot: NodeSnapshot;
  beforeAll(async () => {
    hostBefore = await hostNetworkState();
    lab = await buildLab(uniquePrefix("ld"), { nodes: 2, pods: 1, backend: "vxlan", agents: true, dockerNodes: 1 });
    console.log(`lab: 1 node + 1 Docker node, 1 pod each, vxlan, agents: built in ${lab.buildMs} ms`);
    node = lab.state.nodes.find((n) => n.docker) as NodeState & { pid: number };
    const client = createAgentClient({ url: `unix:${node.agent?.socket}`, token: readTokens(lab.state.tokenFile).read });
    snapshot = await client.snapshot.query();
  }, 180_000);
  afterAll(() => removeLab(lab));

  const docker = async (...args: string[]) => (await run(dockerIn(node.pid, args), { timeoutMs: 20_000 })).stdout;
  const containerNames = () => node.dockerd?.containers.map((c) => c.name) ?? [];
  const hostNetns = () => snapshot.namespaces.find((n) => n.kind === "host")?.id;
  /** A process's network namespace inode, read in the node, whose PID namespace Docker's PIDs belong to. */
  const netnsOfPid = async (pid: number) => Number((await run(inNode(node.pid, ["stat", "-L", "-c", "%i", `/proc/${pid}/ns/net`]))).stdout.trim());

  it("makes only the last node a Docker host, records dockerd, its socket and containers, and shows them in status", async () => {
    expect(lab.state.nodes.map((n) => [n.name, n.docker])).toEqual([
      ["node1", false],
      ["node2", true],
    ]);
    expect(node.dockerd).toMatchObject({ socket: NODE_DOCKER_SOCKET, networks: [LAB_DOCKER_NETWORK] });
    expect(containerNames().sort()).toEqual(["node2-client", "node2-pause", "node2-solo", "node2-web"]);
    const status = labStatus(lab.state).nodes.find((n) => n.name === "node2");
    expect(status?.docker).toMatchObject({ alive: true, socket: NODE_DOCKER_SOCKET, hostSocket: `/proc/${node.pid}/root/run/docker.sock` });
    // The host reaches the node's dockerd through the node's root.
    const engine = await readDockerEngine(status?.docker?.hostSocket);
    expect(engine?.containers).toHaveLength(containerNames().length);
  });

  it("reports the containers as docker inspect shows them: names, IPs, network modes and the namespace each runs in", async () => {
    const inspected = JSON.parse(await docker("container", "inspect", ...containerNames())) as ContainerInspect[];
    expect(snapshot.warnings).toEqual([]);
    expect(snapshot.containers.map((c) => c.name).sort()).toEqual(containerNames().sort());
    for (const want of inspected) {
      const got = snapshot.containers.find((c) => c.id === want.Id);
      expect(got, want.Name).toBeDefined();
      expect(got).toMatchObject({ name: want.Name.slice(1), runtime: "docker", state: "running", pid: want.State.Pid, networkMode: want.HostConfig.NetworkMode });
      expect(got?.endpoints.map((e) => [e.network, e.ipv4]).sort()).toEqual(Object.entries(want.NetworkSettings.Networks).map(([name, e]) => [name, e.IPAddress]).sort());
      expect(got?.netns).toBe(await netnsOfPid(want.State.Pid));
    }
    const byName = (name: string) => inspected.find((c) => c.Name === `/${name}`) as ContainerInspect;
    const pause = byName("node2-pause");
    expect(byName("node2-solo").HostConfig.NetworkMode).toBe("bridge");
    expect(pause.HostConfig.NetworkMode).toBe(LAB_DOCKER_NETWORK.name);
    for (const joiner of ["node2-web", "node2-client"]) expect(byName(joiner).HostConfig.NetworkMode).toBe(`container:${pause.Id}`);
    // The namespace is Docker's: bound under its exec root, named as its SandboxKey names it.
    const pauseNetns = snapshot.namespaces.find((n) => n.id === snapshot.containers.find((c) => c.id === pause.Id)?.netns);
    expect(pauseNetns).toMatchObject({ kind: "docker", paths: [pause.NetworkSettings.SandboxKey] });
  });

  it("maps containers that share a namespace with `container:` to the same one, and the others to their own", () => {
    const netnsOf = (name: string) => snapshot.containers.find((c) => c.name === name)?.netns;
    expect(netnsOf("node2-web")).toBe(netnsOf("node2-pause"));
    expect(netnsOf("node2-client")).toBe(netnsOf("node2-pause"));
    expect(new Set([netnsOf("node2-pause"), netnsOf("node2-solo"), hostNetns()]).size).toBe(3);
  });

  it("reports Docker's networks as docker network inspect shows them: subnets, bridge name, masquerade, MTU, endpoints", async () => {
    const inspected = JSON.parse(await docker("network", "inspect", "bridge", LAB_DOCKER_NETWORK.name)) as NetworkInspect[];
    for (const want of inspected) {
      const got = snapshot.dockerNetworks.find((n) => n.id === want.Id);
      expect(got).toMatchObject({
        name: want.Name,
        driver: "bridge",
        subnets: want.IPAM.Config.map((c) => ({ subnet: c.Subnet, ...(c.Gateway ? { gateway: c.Gateway } : {}) })),
        bridge: want.Options["com.docker.network.bridge.name"],
        mtu: Number(want.Options["com.docker.network.driver.mtu"]),
        // Docker shows masquerade only when it was set; absent, the bridge driver's default (on) applies.
        masquerade: (want.Options["com.docker.network.bridge.enable_ip_masquerade"] ?? "true") === "true",
        options: want.Options,
      });
      expect(got?.endpoints.map((e) => [e.containerId, e.name, e.ipv4]).sort()).toEqual(Object.entries(want.Containers).map(([id, c]) => [id, c.Name, c.IPv4Address.split("/")[0]]).sort());
    }
    expect(snapshot.dockerNetworks.find((n) => n.name === LAB_DOCKER_NETWORK.name)).toMatchObject({ bridge: LAB_DOCKER_NETWORK.bridge, mtu: LAB_DOCKER_NETWORK.mtu });
  });

  it("sees docker0 as a bridge with 172.17.0.1/16, labnet's bridge with its MTU, and Docker's masquerade rules in nat", () => {
    const host = hostNetns();
    const link = (name: string) => snapshot.links.find((l) => l.netns === host && l.name === name);
    expect(link("docker0")).toMatchObject({ kind: "bridge" });
    expect(link(LAB_DOCKER_NETWORK.bridge)).toMatchObject({ kind: "bridge", mtu: LAB_DOCKER_NETWORK.mtu });
    const addresses = snapshot.addresses.filter((a) => a.netns === host && a.ifname === "docker0").map((a) => `${a.address}/${a.prefixLength}`);
    expect(addresses).toContain(DOCKER0);
    const masquerades = snapshot.nat.filter((r) => r.netns === host && r.table === "nat" && r.action === "masquerade").map((r) => r.text);
    expect(masquerades).toEqual(expect.arrayContaining(["oifname != docker0 ip saddr 172.17.0.0/16 masquerade", `oifname != ${LAB_DOCKER_NETWORK.bridge} ip saddr ${LAB_DOCKER_NETWORK.subnet} masquerade`]));
  });

  it("serves HTTP inside the Docker pod: the client container reaches the web container on 127.0.0.1", async () => {
    expect(await docker("exec", "node2-client", "wget", "-q", "-O-", "http://127.0.0.1:8080/")).toBe("node2-web (docker) on node2\n");
  });

  it("leaves the host's iptables, nftables and sysctls as they were, and goes down leaving no process, mount, cgroup or data root", async () => {
    expect(await hostNetworkState()).toBe(hostBefore);
    await removeLab(lab);
    expect(await leftovers(lab.prefix, lab.runDir)).toEqual([]);
    expect((await run(["findmnt", "--list", "--noheadings", "--output", "TARGET"])).stdout).not.toContain(lab.runDir);
    expect(await labCgroups(lab.prefix)).toBe("");
  });
});

describe("netatlas-lab down after an `up --docker-nodes` killed while its containers run", () => {
  it("removes dockerd, containerd, the containers, their cgroups and the data root", async () => {
    const prefix = uniquePrefix("lk");
    const runDir = testRunDir(prefix);
    const child = spawn(process.execPath, [cli, "up", "--prefix", prefix, "--run-dir", runDir, "--nodes", "1", "--pods", "1", "--docker-nodes", "1", "--no-agents"], { stdio: "ignore" });
    try {
      await waitFor("a running Docker container", () => (loadState(runDir)?.nodes[0]?.dockerd?.containers.length ? true : undefined), 60_000);
      child.kill("SIGKILL");
      expect(await labCgroups(prefix)).not.toBe("");
    } finally {
      child.kill("SIGKILL");
      await removeLab({ prefix, runDir });
    }
    expect(await leftovers(prefix, runDir)).toEqual([]);
    expect(await labCgroups(prefix)).toBe("");
    expect((await run(["findmnt", "--list", "--noheadings", "--output", "TARGET"])).stdout).not.toContain(runDir);
  }, 90_000);
});
