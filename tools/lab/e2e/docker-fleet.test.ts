import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allocate, allocateDocker, FleetSpec, fleetFindings, isDisruptive, nodeIntent, trace, validateFleetSpec, type FleetSpecInput, type NodeIntent, type NodeSnapshot } from "@netatlas/core";
import { createAgentClient, type AgentClient } from "@netatlas/agent-api";
import { run } from "@netatlas/linux";
import { uniquePrefix, waitFor } from "@netatlas/linux/testing";
import { dockerIn, inNodeNet, labFleetSpec, readTokens, type NodeState } from "../src/index.js";
import { LAB_IMAGE } from "../src/docker-image.js";
import { buildLab, removeLab, type TestLab } from "./support.js";

interface NetworkInspect {
  Id: string;
  Name: string;
  IPAM: { Config: Array<{ Subnet: string; Gateway?: string }> };
  Options: Record<string, string>;
  Labels: Record<string, string>;
  Containers: Record<string, { Name: string; IPv4Address: string }>;
}

const DOCKER_RANGE = "172.31.0.0/16";

/** The lab's pod fabric plus a Docker section: both hosts get `app`, and route each other's subnet of it the same way as pods. */
function fleetSpec(nodes: number, app: { mtu?: number; masquerade?: boolean } = {}, backend: "host-gw" | "vxlan" = "host-gw"): FleetSpecInput {
  const base = labFleetSpec(nodes, backend);
  const hosts = base.nodes.map((n) => n.name);
  return { ...base, docker: { range: DOCKER_RANGE, hosts, routing: backend, networks: [{ name: "app", masquerade: false, ...app }] } };
}

function intentsOf(input: FleetSpecInput, podCidrs: Record<string, string>): Map<string, NodeIntent> {
  const spec = FleetSpec.parse(input);
  const pods = allocate(spec, podCidrs);
  const docker = allocateDocker(spec);
  return new Map(spec.nodes.map((n) => [n.name, nodeIntent(spec, pods, n.name, docker)]));
}

// Needs root and Debian's docker.io. Two Docker hosts, no cross-node routes: the agents build the pod fabric and the Docker networks.
describe("one fleet of Docker hosts, reconciled through the agents", { timeout: 60_000 }, () => {
  let lab: TestLab;
  const admin = new Map<string, AgentClient>();
  let intents: Map<string, NodeIntent>;

  const node = (name: string) => lab.state.nodes.find((n) => n.name === name) as NodeState & { pid: number };
  const docker = async (name: string, ...args: string[]) => (await run(dockerIn(node(name).pid, args), { timeoutMs: 30_000 })).stdout;
  const inspectApp = async (name: string) => (JSON.parse(await docker(name, "network", "inspect", "app")) as NetworkInspect[])[0]!;
  const networkNames = async (name: string) => (await docker(name, "network", "ls", "--format", "{{.Name}} {{.ID}}")).split("\n").filter(Boolean).sort();
  const snapshots = (): Promise<NodeSnapshot[]> => Promise.all(lab.state.nodes.map((n) => admin.get(n.name)!.snapshot.query({ maxAgeMs: 0 })));
  const ipOn = async (host: string, container: string) => {
    const out = JSON.parse(await docker(host, "container", "inspect", container)) as Array<{ NetworkSettings: { Networks: Record<string, { IPAddress: string }> } }>;
    return out[0]!.NetworkSettings.Networks.app!.IPAddress;
  };

  beforeAll(async () => {
    lab = await buildLab(uniquePrefix("lf"), { nodes: 2, pods: 1, backend: "none", agents: true, dockerNodes: 2 });
    console.log(`lab: 2 Docker nodes, no fabric, agents: built in ${lab.buildMs} ms`);
    const token = readTokens(lab.state.tokenFile).admin;
    for (const n of lab.state.nodes) admin.set(n.name, createAgentClient({ url: `unix:${n.agent!.socket}`, token }));
    intents = intentsOf(fleetSpec(2), Object.fromEntries(lab.state.nodes.map((n) => [n.name, n.podCidr])));
  }, 240_000);
  afterAll(() => removeLab(lab));

  it("gives each host `app` with its own subnet of the range, read back from dockerd, and a second plan is empty", async () => {
    const allocated = allocateDocker(FleetSpec.parse(fleetSpec(2))).app!;
    expect(allocated).toEqual({ node1: "172.31.0.0/24", node2: "172.31.1.0/24" });
    for (const [name, intent] of intents) {
      const client = admin.get(name)!;
      const plan = await client.plan.mutate({ intent });
      expect(plan.ops.map((op) => op.op)).toContain("docker-network-create");
      const started = Date.now();
      const result = await client.applyPlan.mutate({ planHash: plan.hash });
      console.log(`${name}: ${result.results.length} ops applied in ${Date.now() - started} ms`);
      expect(result.results.filter((r) => r.status !== "applied")).toEqual([]);
      expect(result.remaining).toEqual([]);
      const app = await inspectApp(name);
      expect(app.IPAM.Config).toEqual([{ Subnet: allocated[name], Gateway: allocated[name]!.replace(/0\/24$/, "1") }]);
      expect(app.Options).toMatchObject({ "com.docker.network.driver.mtu": "1500", "com.docker.network.bridge.enable_ip_masquerade": "false", "com.docker.network.bridge.enable_icc": "true" });
      expect(app.Labels).toEqual({ "io.netatlas.owned": "true" });
      expect((await client.plan.mutate({ intent })).ops).toEqual([]);
    }
  });

  it("lets a container on node1 reach a container on node2 by IP (HTTP through the host-gw routes)", async () => {
    await docker("node2", "run", "--detach", "--name", "app-web", "--network", "app", LAB_IMAGE, "httpd", "-f", "-p", "8080", "-h", "/www");
    await docker("node1", "run", "--detach", "--name", "app-client", "--network", "app", LAB_IMAGE, "sleep", "2147483647");
    const web = await ipOn("node2", "app-web");
    expect(web).toMatch(/^172\.31\.1\./);
    expect(await ipOn("node1", "app-client")).toMatch(/^172\.31\.0\./);
    expect(await docker("node1", "exec", "app-client", "wget", "-q", "-O-", `http://${web}:8080/`)).toBe("node2-web (docker) on node2\n");
  });

  it("explains that path with trace() over the agents' snapshots: delivered, across both hosts, and back", async () => {
    const fleet = await snapshots();
    const web = await ipOn("node2", "app-web");
    const result = trace(fleet, { container: "app-client" }, { ip: web, port: 8080 });
    expect(result.forward.verdict.kind, result.forward.verdict.message).toBe("delivered");
    expect(result.reverse?.verdict.kind, result.reverse?.verdict.message).toBe("delivered");
    const routes = result.forward.hops.filter((h) => h.action === "route" && h.netns.label === "host").map((h) => `${h.node} ${h.route?.dst} ${h.route?.via ?? ""}`);
    expect(routes).toEqual(expect.arrayContaining(["node1 172.31.1.0/24 192.168.50.12"]));
    expect(new Set(result.forward.hops.map((h) => h.node))).toEqual(new Set(["node1", "node2"]));
    // Each host's routing decision is the one its kernel makes.
    for (const hop of result.forward.hops.filter((h) => h.action === "route" && h.netns.label === "host")) {
      const kernel = JSON.parse((await run(inNodeNet(node(hop.node).pid, ["ip", "-j", "route", "get", hop.packet.dst]))).stdout) as Array<{ dev?: string; gateway?: string }>;
      expect([kernel[0]?.dev, kernel[0]?.gateway], `${hop.node}: ${hop.rule}`).toEqual([hop.route?.dev, hop.route?.via]);
    }
    console.log(result.forward.hops.map((h) => `${h.node} ${h.netns.label} ${h.action}: ${h.rule}`).join("\n"));
    // The agent's own probe from the container's namespace agrees: connected, first hop the container's gateway.
    const netns = fleet.find((s) => s.node === "node1")!.containers.find((c) => c.name === "app-client")!.netns!;
    const probe = await admin.get("node1")!.probe.mutate({ netns, target: web, protocol: "tcp", port: 8080, count: 1 });
    expect(probe.attempts[0]?.ok, probe.attempts[0]?.error).toBe(true);
    expect(probe.routeGet).toMatchObject({ dev: "eth0", gateway: "172.31.0.1" });
  });

  it("reports the fleet's shared subnets and duplicate container IPs of the lab's own networks, not of `app`", async () => {
    const findings = fleetFindings(await snapshots(), FleetSpec.parse(fleetSpec(2)));
    const shared = findings.filter((f) => f.code === "docker-subnet-shared").map((f) => f.subjects.slice(0, 2).join(" "));
    // Every lab Docker host has docker0 172.17.0.0/16 and labnet 172.30.0.0/24: the same on both hosts.
    expect(shared.sort()).toEqual(["node1/docker/bridge node2/docker/bridge", "node1/docker/labnet node2/docker/labnet"]);
    const duplicates = findings.filter((f) => f.code === "duplicate-container-ip");
    expect(duplicates.map((f) => f.message)).toEqual(expect.arrayContaining([expect.stringMatching(/node1-pause on node1 and node2-pause on node2/)]));
    expect(duplicates.every((f) => !f.subjects[0]!.startsWith("172.31."))).toBe(true);
    expect(findings.some((f) => f.code === "container-join-orphan" || f.code === "published-port-collision")).toBe(false);
  });

  it("refuses a plan that would disconnect a running container unless allowed, naming it, and changes nothing", async () => {
    const changed = intentsOf(fleetSpec(2, { mtu: 1400 }), Object.fromEntries(lab.state.nodes.map((n) => [n.name, n.podCidr]))).get("node1")!;
    const client = admin.get("node1")!;
    const before = { app: await inspectApp("node1"), ip: await ipOn("node1", "app-client"), networks: await networkNames("node1") };
    const plan = await client.plan.mutate({ intent: changed });
    const disruptive = plan.ops.filter(isDisruptive);
    expect(disruptive).toEqual([expect.objectContaining({ op: "docker-network-replace", name: "app", containers: [expect.objectContaining({ name: "app-client", state: "running" })] })]);
    await expect(client.applyPlan.mutate({ planHash: plan.hash })).rejects.toMatchObject({ data: { code: "PRECONDITION_FAILED" }, message: expect.stringMatching(/allowDisruptive: .*would disconnect containers \(Docker network app on node1: app-client \(running\)\); nothing was changed/) });
    const after = await inspectApp("node1");
    expect(after.Id).toBe(before.app.Id);
    expect(after.Options["com.docker.network.driver.mtu"]).toBe("1500");
    expect(await ipOn("node1", "app-client")).toBe(before.ip);
    expect(await networkNames("node1")).toEqual(before.networks);
    expect(await docker("node1", "exec", "app-client", "wget", "-q", "-O-", `http://${await ipOn("node2", "app-web")}:8080/`)).toBe("node2-web (docker) on node2\n");

    // With the flag, the reviewed plan runs: app is made again with MTU 1400 and app-client is connected back.
    const result = await client.applyPlan.mutate({ planHash: plan.hash, allowDisruptive: true });
    expect(result.results.filter((r) => r.status !== "applied")).toEqual([]);
    const replaced = await inspectApp("node1");
    expect(replaced.Id).not.toBe(before.app.Id);
    expect(replaced.Options["com.docker.network.driver.mtu"]).toBe("1400");
    expect(Object.values(replaced.Containers).map((c) => c.Name)).toEqual(["app-client"]);
  });

  it("rejects a bad spec and a bad intent naming the field, and changes nothing", async () => {
    const before = await Promise.all(lab.state.nodes.map((n) => networkNames(n.name)));
    const bad = validateFleetSpec({ ...fleetSpec(2), docker: { range: "10.244.0.0/16", hosts: ["node1", "node9"], networks: [{ name: "app" }, { name: "app" }] } });
    expect(bad.ok ? [] : bad.errors.map((e) => e.path).sort()).toEqual(["docker.hosts.1", "docker.networks.1.name", "docker.range"]);
    const intent = intents.get("node1")!;
    const evil = { ...intent, docker: { ...intent.docker!, networks: [{ ...intent.docker!.networks[0]!, name: "app --opt x" }] } };
    await expect(admin.get("node1")!.plan.mutate({ intent: evil })).rejects.toMatchObject({ data: { code: "BAD_REQUEST" }, message: expect.stringMatching(/docker.*networks.*name/s) });
    expect(await Promise.all(lab.state.nodes.map((n) => networkNames(n.name)))).toEqual(before);
  });

  it("reports a hand-removed `app` as drift, and makes it again in repair mode with the same subnet", async () => {
    const client = admin.get("node2")!;
    await docker("node2", "rm", "--force", "app-web");
    await docker("node2", "network", "rm", "app");
    const drift = await waitFor("drift naming the missing network", async () => {
      const status = await client.reconcileStatus.query();
      return status.drift.some((op) => op.op === "docker-network-create" && op.name === "app") ? status.drift : undefined;
    }, 15_000);
    expect(drift.map((op) => op.op)).toEqual(["docker-network-create"]);
    await client.setMode.mutate({ mode: "repair" });
    try {
      await waitFor("app to be made again", async () => ((await client.reconcileStatus.query()).drift.length === 0 ? true : undefined), 15_000);
    } finally {
      await client.setMode.mutate({ mode: "observe" });
    }
    expect((await inspectApp("node2")).IPAM.Config).toEqual([{ Subnet: "172.31.1.0/24", Gateway: "172.31.1.1" }]);
  });

  it("reports `container:` joiners whose owner stopped, on the real dockerd", async () => {
    await docker("node2", "stop", "--time", "1", "node2-pause");
    const orphans = fleetFindings(await snapshots()).filter((f) => f.code === "container-join-orphan");
    expect(orphans.map((f) => f.message).sort()).toEqual([
      "node2: node2-client joined the network of node2-pause, which is exited; it is left without the owner's network",
      "node2: node2-web joined the network of node2-pause, which is exited; it is left without the owner's network",
    ]);
  });
});

// Needs root and Debian's docker.io. The same over the pod fabric's VXLAN, with Docker's own masquerade left on (its default).
describe("Docker hosts routing each other's subnets over the pod fabric's VXLAN", { timeout: 60_000 }, () => {
  let lab: TestLab;
  let fleet: () => Promise<NodeSnapshot[]>;
  const docker = async (name: string, ...args: string[]) => (await run(dockerIn(lab.state.nodes.find((n) => n.name === name)!.pid!, args), { timeoutMs: 30_000 })).stdout;

  beforeAll(async () => {
    lab = await buildLab(uniquePrefix("lv"), { nodes: 2, pods: 1, backend: "none", agents: true, dockerNodes: 2 });
    const token = readTokens(lab.state.tokenFile).admin;
    const clients = lab.state.nodes.map((n) => createAgentClient({ url: `unix:${n.agent!.socket}`, token }));
    fleet = () => Promise.all(clients.map((c) => c.snapshot.query({ maxAgeMs: 0 })));
    const intents = intentsOf(fleetSpec(2, { mtu: 1450, masquerade: true }, "vxlan"), Object.fromEntries(lab.state.nodes.map((n) => [n.name, n.podCidr])));
    for (const [i, n] of lab.state.nodes.entries()) {
      const intent = intents.get(n.name)!;
      expect(intent.docker?.routes.map((r) => r.dev)).toEqual(["netatlas.1"]);
      const plan = await clients[i]!.plan.mutate({ intent });
      const result = await clients[i]!.applyPlan.mutate({ planHash: plan.hash });
      expect(result.results.filter((r) => r.status !== "applied")).toEqual([]);
      expect(result.remaining).toEqual([]);
    }
  }, 240_000);
  afterAll(() => removeLab(lab));

  it("carries HTTP from a container on node1 to one on node2 through the VXLAN device, unmasqueraded, and trace() agrees", async () => {
    // -v: busybox httpd logs each client's address to stderr, so the test sees the source the server saw.
    await docker("node2", "run", "--detach", "--name", "app-web", "--network", "app", LAB_IMAGE, "httpd", "-f", "-v", "-p", "8080", "-h", "/www");
    await docker("node1", "run", "--detach", "--name", "app-client", "--network", "app", LAB_IMAGE, "sleep", "2147483647");
    const ipOf = async (host: string, name: string) => (await docker(host, "container", "inspect", "--format", "{{.NetworkSettings.Networks.app.IPAddress}}", name)).trim();
    const web = await ipOf("node2", "app-web");
    const client = await ipOf("node1", "app-client");
    expect(web).toMatch(/^172\.31\.1\./);
    expect(await docker("node1", "exec", "app-client", "wget", "-q", "-O-", `http://${web}:8080/`)).toBe("node2-web (docker) on node2\n");
    // Docker's masquerade is off on the routed network; netatlas's own leaves the fleet's Docker range alone.
    const logs = await run(dockerIn(lab.state.nodes[1]!.pid!, ["logs", "app-web"]), { timeoutMs: 10_000 });
    // busybox httpd listens on IPv6 too and prints an IPv4 client as [::ffff:A.B.C.D]:port.
    expect(logs.stderr).toContain(`[::ffff:${client}]:`);
    const result = trace(await fleet(), { container: "app-client" }, { ip: web, port: 8080 });
    expect(result.forward.verdict.kind, result.forward.verdict.message).toBe("delivered");
    expect(result.reverse?.verdict.kind, result.reverse?.verdict.message).toBe("delivered");
    const actions = result.forward.hops.map((h) => `${h.node} ${h.action}`);
    expect(actions).toEqual(expect.arrayContaining(["node1 vxlan-encap", "node2 vxlan-decap"]));
    expect(actions.filter((a) => a.endsWith("masquerade"))).toEqual([]);
    // Leaving the range, the same container is masqueraded by netatlas's table: the trace says so.
    const out = trace(await fleet(), { container: "app-client" }, { ip: "192.168.50.12", port: 7946 });
    expect(out.forward.hops.find((h) => h.action === "masquerade")?.rule).toMatch(/netatlas_docker postrouting: ip saddr 172\.31\.0\.0\/24 ip daddr != 172\.31\.0\.0\/16 masquerade/);
    console.log(result.forward.hops.map((h) => `${h.node} ${h.netns.label} ${h.action}: ${h.rule}`).join("\n"));
  });
});
