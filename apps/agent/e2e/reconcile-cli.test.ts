import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allocate, FleetSpec, nodeIntent } from "@netatlas/core";
import { run } from "@netatlas/linux";
import { createCniNode, uniquePrefix, type CniNode } from "@netatlas/linux/testing";

const bin = new URL("../bin/netatlas-agent.cjs", import.meta.url).pathname;

// Needs root: the CLI runs inside a CNI node's namespace, which is its "host" there.
describe("netatlas-agent plan and apply", () => {
  let cni: CniNode;
  let dir: string;
  let intentFile: string;
  const inNode = (...args: string[]) => spawnSync("ip", ["netns", "exec", cni.node, "node", bin, ...args, "--state-dir", join(dir, "state")], { encoding: "utf8", timeout: 60_000 });
  const ownedRoutes = async () => JSON.parse((await run(["ip", "-n", cni.node, "-j", "route", "show", "proto", "157"])).stdout) as Array<{ dst: string; gateway: string }>;

  beforeAll(async () => {
    cni = await createCniNode(uniquePrefix("naplan"), { pods: 1 });
    dir = await mkdtemp(join(tmpdir(), "netatlas-plan-"));
    // The CNI node's pods use 10.244.1.0/24 and its eth0 is 192.168.77.10: node-a, with node-b as a peer.
    const spec = FleetSpec.parse({ podCidr: "10.244.0.0/16", backend: { type: "host-gw" }, nodes: [{ name: "node-a", underlayIp: "192.168.77.10" }, { name: "node-b", underlayIp: "192.168.77.11" }] });
    const intent = nodeIntent(spec, allocate(spec, { "node-a": "10.244.1.0/24", "node-b": "10.244.2.0/24" }), "node-a");
    intentFile = join(dir, "intent.json");
    await writeFile(intentFile, JSON.stringify(intent));
  }, 30_000);
  afterAll(async () => {
    await cni?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("plans with reasons and a hash, and a dry-run apply changes nothing", async () => {
    const plan = inNode("plan", "--intent", intentFile);
    expect(plan.status).toBe(0);
    expect(plan.stdout).toMatch(/ip route replace 10\.244\.2\.0\/24 via 192\.168\.77\.11 dev eth0\n\s+because pods of the node owning 10\.244\.2\.0\/24 are reached via 192\.168\.77\.11/);
    expect(plan.stdout).toMatch(/plan hash: [0-9a-f]{64}/);
    const dry = inNode("apply", "--intent", intentFile);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain("dry run: nothing changed");
    expect(await ownedRoutes()).toEqual([]);
  });

  it("refuses a hash that is not the current plan's, then applies the reviewed one and verifies it", async () => {
    const stale = inNode("apply", "--intent", intentFile, "--plan-hash", "0".repeat(64));
    expect(stale.status).toBe(1);
    expect(stale.stderr).toMatch(/the node changed since plan 000000000000… was made/);
    expect(await ownedRoutes()).toEqual([]);
    const hash = /plan hash: ([0-9a-f]{64})/.exec(inNode("plan", "--intent", intentFile).stdout)?.[1] as string;
    const applied = inNode("apply", "--intent", intentFile, "--plan-hash", hash);
    expect(applied.status).toBe(0);
    expect(applied.stdout).toContain("verified: a fresh read matches the intent");
    expect(await ownedRoutes()).toMatchObject([{ dst: "10.244.2.0/24", gateway: "192.168.77.11" }]);
    expect(inNode("plan", "--intent", intentFile).stdout).toContain("nothing to do, the node matches the intent");
  });

  it("names the bad field of an intent and exits 2", async () => {
    const bad = join(dir, "bad.json");
    await writeFile(bad, JSON.stringify({ node: "node-a", podCidr: "10.244.0.0/33" }));
    const r = inNode("plan", "--intent", bad);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--intent .*bad\.json: podCidr: must be an IPv4 CIDR/);
  });
});
