import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allocate, allocateDocker, FleetSpec, nodeIntent, validateFleetSpec, type FleetSpecInput, type NodeIntent, type Plan } from "@netatlas/core";
import { createAgentClient, type AgentClient } from "@netatlas/agent-api";
import { run } from "@netatlas/linux";
import { uniquePrefix } from "@netatlas/linux/testing";
import { defaultAgentBin, dockerIn, inNode, inNodeNet, labFleetSpec, readTokens } from "../src/index.js";
import { LAB_IMAGE } from "../src/docker-image.js";
import { buildLab, removeLab, type TestLab } from "./support.js";

/** Plain Docker hosts: the lab's nodes and a docker section, no podCidr or backend. */
function dockerOnlySpec(app: { mtu?: number } = {}): FleetSpecInput {
  const nodes = labFleetSpec(2, "none").nodes;
  return { nodes, docker: { range: "172.31.0.0/16", hosts: nodes.map((n) => n.name), routing: "host-gw", networks: [{ name: "app", ...app }] } };
}

function intentsOf(input: FleetSpecInput): Map<string, NodeIntent> {
  const spec = FleetSpec.parse(input);
  return new Map(spec.nodes.map((n) => [n.name, nodeIntent(spec, allocate(spec), n.name, allocateDocker(spec))]));
}

// Needs root and Debian's docker.io. Two Docker hosts with no pods and no pod fabric: the spec has none either.
describe("a fleet of plain Docker hosts, without a pod fabric", { timeout: 60_000 }, () => {
  let lab: TestLab;
  let dir: string;
  const admin = new Map<string, AgentClient>();
  const pidOf = (name: string) => lab.state.nodes.find((n) => n.name === name)!.pid!;
  const docker = async (name: string, ...args: string[]) => (await run(dockerIn(pidOf(name), args), { timeoutMs: 30_000 })).stdout;
  const ipOf = async (host: string, name: string) => (await docker(host, "container", "inspect", "--format", "{{.NetworkSettings.Networks.app.IPAddress}}", name)).trim();
  const appMtu = async (host: string) => (await docker(host, "network", "inspect", "--format", '{{index .Options "com.docker.network.driver.mtu"}}', "app")).trim();
  const linksOf = async (name: string) => JSON.parse((await run(inNodeNet(pidOf(name), ["ip", "-j", "link", "show"]))).stdout) as Array<{ ifname: string; linkinfo?: { info_kind?: string } }>;
  const ownedRoutes = async (name: string) => (JSON.parse((await run(inNodeNet(pidOf(name), ["ip", "-j", "route", "show", "proto", "157"]))).stdout) as Array<{ dst: string; gateway?: string; dev: string }>).map((r) => `${r.dst} via ${r.gateway} dev ${r.dev}`);
  const nftTables = async (name: string) => (await run(inNodeNet(pidOf(name), ["nft", "list", "tables"]))).stdout.trim().split("\n").sort();
  /** The agent CLI run inside the node, as an operator on that host would, with its own state directory. */
  const agentCli = (name: string, ...args: string[]) => run(inNode(pidOf(name), [process.execPath, defaultAgentBin, ...args, "--state-dir", join(dir, `${name}-state`)]), { timeoutMs: 60_000, okCodes: [0, 1, 2] });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "netatlas-docker-only-"));
    lab = await buildLab(uniquePrefix("ldo"), { nodes: 2, pods: 0, backend: "none", agents: true, dockerNodes: 2 });
    console.log(`lab: 2 Docker hosts, no pods, no fabric, agents: built in ${lab.buildMs} ms`);
    const token = readTokens(lab.state.tokenFile).admin;
    for (const n of lab.state.nodes) admin.set(n.name, createAgentClient({ url: `unix:${n.agent!.socket}`, token }));
  }, 240_000);
  afterAll(async () => {
    await removeLab(lab);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("applies a spec without podCidr: only Docker networks, host-gw routes and Docker masquerade, no pod bridge, and a second plan is empty", async () => {
    const checked = validateFleetSpec(dockerOnlySpec());
    expect(checked.ok, JSON.stringify(checked)).toBe(true);
    for (const [name, intent] of intentsOf(dockerOnlySpec())) {
      expect([intent.podCidr, intent.bridge, intent.vxlan, intent.routes, intent.masquerade]).toEqual([undefined, undefined, undefined, [], false]);
      const client = admin.get(name)!;
      const plan = await client.plan.mutate({ intent });
      expect(plan.conflicts).toEqual([]);
      expect(plan.ops.map((op) => op.op).sort()).toEqual(["docker-network-create", "replace-route", "set-docker-masquerade"]);
      const result = await client.applyPlan.mutate({ planHash: plan.hash });
      expect(result.results.filter((r) => r.status !== "applied")).toEqual([]);
      expect(result.remaining).toEqual([]);
      expect((await client.plan.mutate({ intent })).ops).toEqual([]);
      // The node has no pod bridge or VXLAN device, no pod routes and no pod masquerade table: only what Docker needs.
      const links = await linksOf(name);
      expect(links.map((l) => l.ifname)).not.toContain("cni0");
      expect(links.filter((l) => l.linkinfo?.info_kind === "vxlan")).toEqual([]);
      const peer = name === "node1" ? "172.31.1.0/24 via 192.168.50.12" : "172.31.0.0/24 via 192.168.50.11";
      expect(await ownedRoutes(name)).toEqual([`${peer} dev eth0`]);
      expect(await nftTables(name)).not.toContain("table ip netatlas");
      expect(await nftTables(name)).toContain("table ip netatlas_docker");
    }
  });

  it("carries HTTP from a container on node1 to one on node2 by IP, with the client's own address", async () => {
    // -v: busybox httpd logs each client's address, so the test sees the source the server saw.
    await docker("node2", "run", "--detach", "--name", "app-web", "--network", "app", LAB_IMAGE, "httpd", "-f", "-v", "-p", "8080", "-h", "/www");
    await docker("node1", "run", "--detach", "--name", "app-client", "--network", "app", LAB_IMAGE, "sleep", "2147483647");
    const web = await ipOf("node2", "app-web");
    const client = await ipOf("node1", "app-client");
    expect([web, client]).toEqual([expect.stringMatching(/^172\.31\.1\./), expect.stringMatching(/^172\.31\.0\./)]);
    expect(await docker("node1", "exec", "app-client", "wget", "-q", "-O-", `http://${web}:8080/`)).toBe("node2-web (docker) on node2\n");
    const logs = await run(dockerIn(pidOf("node2"), ["logs", "app-web"]), { timeoutMs: 10_000 });
    expect(logs.stderr).toContain(`[::ffff:${client}]:`);
  });

  it("the agent CLI refuses a plan that would disconnect app-client unless --allow-disruptive, then runs it with the flag", async () => {
    const intentFile = join(dir, "node1-mtu1400.json");
    await writeFile(intentFile, JSON.stringify(intentsOf(dockerOnlySpec({ mtu: 1400 })).get("node1")));
    const planned = await agentCli("node1", "plan", "--intent", intentFile, "--json");
    expect(planned.code, planned.stderr).toBe(0);
    const plan = JSON.parse(planned.stdout) as Plan;
    expect(plan.ops.map((op) => op.op)).toEqual(["docker-network-replace"]);
    const before = await ipOf("node1", "app-client");

    const refused = await agentCli("node1", "apply", "--intent", intentFile, "--plan-hash", plan.hash);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/would disconnect containers \(Docker network app on node1: app-client \(running\)\); nothing was changed/);
    expect(await appMtu("node1")).toBe("1500");
    expect(await ipOf("node1", "app-client")).toBe(before);

    const allowed = await agentCli("node1", "apply", "--intent", intentFile, "--plan-hash", plan.hash, "--allow-disruptive");
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(await appMtu("node1")).toBe("1400");
    expect(await ipOf("node1", "app-client")).toMatch(/^172\.31\.0\./);
    expect(await docker("node1", "exec", "app-client", "wget", "-q", "-O-", `http://${await ipOf("node2", "app-web")}:8080/`)).toBe("node2-web (docker) on node2\n");
  });
});
